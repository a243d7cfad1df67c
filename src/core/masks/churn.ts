/** Mask statistics charted during training. */

/** Fraction of mask bits that differ between two masks of one layer (0 for empty masks). */
export function maskChurn(prev: Uint8Array, next: Uint8Array): number {
  if (prev.length !== next.length) {
    throw new Error(`maskChurn: masks of ${prev.length} and ${next.length} bits`);
  }
  if (prev.length === 0) return 0;
  let flips = 0;
  for (let i = 0; i < prev.length; i++) if ((prev[i] !== 0) !== (next[i] !== 0)) flips++;
  return flips / prev.length;
}

/** Number of weights exactly equal to zero (-0 included). */
export function countZeros(w: ArrayLike<number>): number {
  let zeros = 0;
  for (let i = 0; i < w.length; i++) if (w[i] === 0) zeros++;
  return zeros;
}

/** Number of ones in a mask. */
export function countKept(mask: Uint8Array): number {
  let kept = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) kept++;
  return kept;
}
