/**
 * Global magnitude: one |w| threshold across all layers; each layer's sparsity is what that
 * threshold leaves. The global keep count is exact; ties at the threshold are kept in layer
 * order, then index order.
 */
import { keepCount, magnitudeOf } from '../masks/magnitude';
import { kthLargest } from '../masks/select';

/** Per-layer sparsities after keeping the globally largest |w| at global sparsity p. */
export function globalMagnitudeSparsities(weights: ArrayLike<number>[], p: number): number[] {
  const total = weights.reduce((a, w) => a + w.length, 0);
  const keep = keepCount(total, p);
  const all = new Float32Array(total);
  let off = 0;
  for (const w of weights) {
    for (let i = 0; i < w.length; i++) all[off + i] = magnitudeOf(w[i]!);
    off += w.length;
  }
  const t = kthLargest(all, keep);
  return keptPerLayer(weights.map((w) => (i: number) => magnitudeOf(w[i]!)), weights.map((w) => w.length), t, keep)
    .map((k, l) => (weights[l]!.length > 0 ? 1 - k / weights[l]!.length : 0));
}

/**
 * Kept count per layer for a global threshold t and an exact budget: everything above t, then
 * values equal to t in layer order and index order until the budget is spent.
 */
export function keptPerLayer(
  score: ((i: number) => number)[],
  lengths: number[],
  t: number,
  keep: number,
): number[] {
  const kept = lengths.map(() => 0);
  const ties = lengths.map(() => 0);
  let above = 0;
  for (let l = 0; l < lengths.length; l++) {
    const s = score[l]!;
    for (let i = 0; i < lengths[l]!; i++) {
      const v = s(i);
      if (v > t) kept[l]!++;
      else if (v === t) ties[l]!++;
    }
    above += kept[l]!;
  }
  let left = keep - above;
  for (let l = 0; l < lengths.length && left > 0; l++) {
    const take = Math.min(left, ties[l]!);
    kept[l]! += take;
    left -= take;
  }
  return kept;
}
