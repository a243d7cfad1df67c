/**
 * LAMP (Lee et al., ICLR 2021): in each layer sort w^2 ascending; the score of the u-th is
 * w_u^2 / sum_{v >= u} w_v^2. The globally largest scores are kept. Every layer's largest weight
 * scores 1, so no layer is ever emptied before all layers are down to one weight.
 */
import { keepCount } from '../masks/magnitude';
import { kthLargest } from '../masks/select';
import { keptPerLayer } from './global-magnitude';

/** LAMP scores of one layer, in ascending order of w^2 (which weight gets which score is not needed). */
export function lampScores(w: ArrayLike<number>): Float64Array {
  const sq = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const v = w[i]! * w[i]!;
    sq[i] = v === v ? v : 0; // NaN weights count as zero
  }
  sq.sort();
  const scores = new Float64Array(w.length);
  let suffix = 0;
  for (let u = w.length - 1; u >= 0; u--) {
    suffix += sq[u]!;
    scores[u] = suffix > 0 ? sq[u]! / suffix : 0;
  }
  return scores;
}

/** Per-layer sparsities of LAMP at global sparsity p (exact global keep count). */
export function lampSparsities(weights: ArrayLike<number>[], p: number): number[] {
  const scores = weights.map(lampScores);
  const total = scores.reduce((a, s) => a + s.length, 0);
  const keep = keepCount(total, p);
  const all = new Float64Array(total);
  let off = 0;
  for (const s of scores) {
    all.set(s, off);
    off += s.length;
  }
  const t = kthLargest(all, keep);
  const kept = keptPerLayer(scores.map((s) => (i: number) => s[i]!), scores.map((s) => s.length), t, keep);
  return kept.map((k, l) => (scores[l]!.length > 0 ? 1 - k / scores[l]!.length : 0));
}
