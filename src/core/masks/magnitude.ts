/** Unstructured magnitude masks: keep the largest |w| of a layer, selection instead of sorting. */
import { kthLargest } from './select';

/** Weights to keep out of n at a sparsity: round((1 - s) * n), clamped to 0..n. */
export function keepCount(n: number, sparsity: number): number {
  const k = Math.round((1 - sparsity) * n);
  return Math.min(n, Math.max(0, k));
}

/**
 * The magnitude a mask ranks a weight by: |w| rounded to float32 (so the selection copy and the
 * scan agree exactly), and -1 for NaN so a NaN weight ranks below every real one.
 */
export function magnitudeOf(x: number): number {
  const a = Math.fround(Math.abs(x));
  return a === a ? a : -1;
}

/** Float32 copy of the magnitudes of w (see magnitudeOf). */
export function magnitudes(w: ArrayLike<number>): Float32Array {
  const out = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = magnitudeOf(w[i]!);
  return out;
}

/**
 * The keep-th largest value of absValues (the magnitude threshold). Reorders absValues in place.
 * Infinity when keep <= 0, the smallest value when keep >= length.
 */
export function magnitudeThreshold(absValues: Float32Array, keep: number): number {
  return kthLargest(absValues, keep);
}

/**
 * Mask (1 = kept) with exactly keepCount(w.length, sparsity) ones on the largest |w|;
 * among equal magnitudes at the threshold, lower indices are kept first.
 */
export function magnitudeMask(w: ArrayLike<number>, sparsity: number): Uint8Array {
  return magnitudeMaskKeeping(w, keepCount(w.length, sparsity));
}

/** Mask (1 = kept) with exactly `keep` ones on the largest |w|, ties at the threshold to lower indices. */
export function magnitudeMaskKeeping(w: ArrayLike<number>, keep: number): Uint8Array {
  const n = w.length;
  keep = Math.min(n, Math.max(0, Math.round(keep)));
  const mask = new Uint8Array(n);
  if (keep === 0) return mask;
  if (keep === n) return mask.fill(1);
  const t = magnitudeThreshold(magnitudes(w), keep);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (magnitudeOf(w[i]!) > t) {
      mask[i] = 1;
      kept++;
    }
  }
  // The rest of the budget goes to weights equal to the threshold, in index order.
  let ties = keep - kept;
  for (let i = 0; i < n && ties > 0; i++) {
    if (mask[i] === 0 && magnitudeOf(w[i]!) === t) {
      mask[i] = 1;
      ties--;
    }
  }
  return mask;
}
