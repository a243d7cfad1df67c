/**
 * Order statistics without a full sort: quickselect with a three-way partition, so arrays full of
 * equal values (the zeros of an already pruned layer) split in one pass instead of degrading.
 */

/** A numeric typed array that selection can reorder. */
export type FloatArray = Float32Array | Float64Array;

/** Median of three values; a cheap pivot that survives sorted and reversed input. */
function median3(x: number, y: number, z: number): number {
  if (x < y) return y < z ? y : x < z ? z : x;
  return x < z ? x : y < z ? z : y;
}

/**
 * The value of ascending rank `r` (0 = smallest) of `a`. Reorders `a` in place.
 * `a` must hold no NaN; `r` must lie in 0..length-1.
 */
export function selectRank(a: FloatArray, r: number): number {
  let lo = 0;
  let hi = a.length - 1;
  // Introselect-style guard: after too many unlucky pivots, sort what is left.
  let budget = 2 * Math.ceil(Math.log2(a.length + 1)) + 16;
  while (lo < hi) {
    if (budget-- <= 0) {
      a.subarray(lo, hi + 1).sort();
      return a[r]!;
    }
    const pivot = median3(a[lo]!, a[(lo + hi) >>> 1]!, a[hi]!);
    // Invariant: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i <= gt) {
      const v = a[i]!;
      if (v < pivot) {
        a[i] = a[lt]!;
        a[lt] = v;
        lt++;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt]!;
        a[gt] = v;
        gt--;
      } else {
        i++;
      }
    }
    if (r < lt) hi = lt - 1;
    else if (r > gt) lo = gt + 1;
    else return pivot;
  }
  return a[r]!;
}

/**
 * The k-th largest value of `a` (k = 1: the maximum). Reorders `a` in place.
 * Infinity when k <= 0 (nothing passes), the minimum when k >= length, -Infinity when empty.
 */
export function kthLargest(a: FloatArray, k: number): number {
  if (k <= 0) return Infinity;
  if (a.length === 0) return -Infinity;
  const keep = Math.min(Math.floor(k), a.length);
  return selectRank(a, a.length - keep);
}
