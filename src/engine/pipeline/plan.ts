import { heuristicSparsities, type HeuristicKind } from '../../core/distributions';
import { keepCount } from '../../core/masks/magnitude';
import { nmFits, nmSparsity } from '../../core/masks/nm';
import type { LayerSummary } from '../../core/events';
import type { PruneOptions } from '../../core/options';
import type { MaskSpec } from '../masks/device-masks';

/** How one prunable kernel is treated by a run. */
export interface LayerTarget {
  mode: 'unstructured' | 'nm' | 'dense';
  /** Target sparsity of the kernel. */
  sparsity: number;
  /** Why a layer of an N:M run is not N:M, or why it is dense. */
  note?: string;
}

/**
 * The N:M rule per layer (documented in the UI): layers whose input-channel count is a multiple
 * of M are N:M; depthwise kernels follow `nmDepthwise`; other layers follow `nmNonFitting`
 * (unstructured at the same 1 - N/M sparsity, or dense). Unstructured runs mark every
 * non-kept layer 'unstructured' with sparsity to be filled by the distribution.
 */
export function patternTargets(layers: LayerSummary[], o: PruneOptions): LayerTarget[] {
  return layers.map((l) => {
    if (l.keptDense) return { mode: 'dense', sparsity: 0, note: 'kept dense (first/last layer option)' };
    if (o.pattern.kind === 'unstructured') return { mode: 'unstructured', sparsity: o.sparsity };
    const { n, m } = o.pattern;
    const s = nmSparsity(n, m);
    const depthwise = l.kind === 'depthwise' || l.kind === 'separable-depthwise';
    const fallback = (why: string): LayerTarget =>
      o.nmNonFitting === 'dense'
        ? { mode: 'dense', sparsity: 0, note: `${why}; kept dense` }
        : { mode: 'unstructured', sparsity: s, note: `${why}; unstructured at ${(s * 100).toFixed(0)}%` };
    if (depthwise && o.nmDepthwise === 'skip') return fallback('depthwise kernel (one input channel per filter)');
    if (!nmFits(l.shape, m)) return fallback(`${l.shape[l.shape.length - 2]} input channels are not a multiple of ${m}`);
    return { mode: 'nm', sparsity: s };
  });
}

/** Per-layer sparsities of a heuristic over the layers a run prunes unstructured. */
export function heuristicTargets(
  kind: HeuristicKind,
  layers: LayerSummary[],
  weights: Float32Array[],
  targets: LayerTarget[],
  p: number,
): number[] {
  const idx = targets.map((t, i) => (t.mode === 'unstructured' ? i : -1)).filter((i) => i >= 0);
  const out = targets.map((t) => t.sparsity);
  if (idx.length === 0) return out;
  const s = heuristicSparsities(kind, idx.map((i) => ({ shape: layers[i]!.shape, weights: weights[i]! })), p);
  idx.forEach((i, j) => (out[i] = s[j]!));
  return out;
}

/** The mask of a layer at a sparsity, for its mode. */
export function maskSpecOf(t: LayerTarget, params: number, sparsity: number, o: PruneOptions): MaskSpec {
  if (t.mode === 'dense') return { kind: 'dense' };
  if (t.mode === 'nm' && o.pattern.kind === 'nm') return { kind: 'nm', n: o.pattern.n, m: o.pattern.m };
  return { kind: 'magnitude', keep: keepCount(params, sparsity) };
}

/** Pattern label of a layer for reports. */
export function patternLabel(t: LayerTarget, o: PruneOptions): string {
  if (t.mode === 'dense') return 'dense';
  if (t.mode === 'nm' && o.pattern.kind === 'nm') return `${o.pattern.n}:${o.pattern.m}`;
  return 'unstructured';
}
