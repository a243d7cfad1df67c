/**
 * Reduce-regrow genome decoding (docs/method.md section 2): every layer starts at Pe = p + delta,
 * and softmax(genome) hands the freed budget R back, so any genome meets the global target
 * unless a layer has to be clipped at 0.
 */
import { globalSparsity } from '../distributions/global';

/** Numerically stable softmax. */
export function softmax(x: number[]): number[] {
  if (x.length === 0) return [];
  const max = Math.max(...x);
  const e = x.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/**
 * Per-layer sparsities of a genome: s_l = Pe - R * softmax(g)_l / n_l, clamped to 0..1, with
 * Pe = min(1, p + delta) and R = (Pe - p) * N (= delta * N unless Pe was clamped, which keeps
 * the kept total at exactly (1 - p) * N when nothing is clipped).
 */
export function genomeToSparsities(genome: number[], params: number[], p: number, delta: number): number[] {
  if (genome.length !== params.length) {
    throw new Error(`genome has ${genome.length} genes for ${params.length} layers`);
  }
  const n = params.reduce((a, b) => a + b, 0);
  const pe = Math.min(1, p + delta);
  const regrow = (pe - p) * n;
  const a = softmax(genome);
  return params.map((nl, l) => (nl > 0 ? Math.min(1, Math.max(0, pe - (regrow * a[l]!) / nl)) : 0));
}

/** A decoded genome with what a report needs: achieved global sparsity and clipped layers. */
export interface GenomePlan {
  /** Per-layer sparsities (genomeToSparsities). */
  sparsities: number[];
  /** Parameter-weighted global sparsity actually achieved (above p when a layer was clipped). */
  achieved: number;
  /** Indices of layers whose unclipped sparsity fell below 0 (or above 1). */
  clipped: number[];
}

/** Decodes a genome and reports clipping, so the UI can show the achieved global sparsity. */
export function describeGenome(genome: number[], params: number[], p: number, delta: number): GenomePlan {
  const sparsities = genomeToSparsities(genome, params, p, delta);
  const n = params.reduce((a, b) => a + b, 0);
  const pe = Math.min(1, p + delta);
  const a = softmax(genome);
  const clipped: number[] = [];
  params.forEach((nl, l) => {
    if (nl <= 0) return;
    const raw = pe - ((pe - p) * n * a[l]!) / nl;
    if (raw < 0 || raw > 1) clipped.push(l);
  });
  return { sparsities, achieved: globalSparsity(params, sparsities), clipped };
}
