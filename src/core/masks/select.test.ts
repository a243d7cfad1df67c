import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { kthLargest, selectRank } from './select';

describe('selectRank / kthLargest', () => {
  it('finds every rank of a small array with duplicates', () => {
    const values = [5, 1, 3, 3, 9, 0, 3, 7, 1];
    const sorted = [0, 1, 1, 3, 3, 3, 5, 7, 9];
    for (let r = 0; r < values.length; r++) {
      expect(selectRank(new Float64Array(values), r)).toBe(sorted[r]);
    }
  });

  it('kthLargest: k = 1 is the max, k >= n the min, k <= 0 Infinity', () => {
    expect(kthLargest(new Float32Array([2, 8, 4]), 1)).toBe(8);
    expect(kthLargest(new Float32Array([2, 8, 4]), 2)).toBe(4);
    expect(kthLargest(new Float32Array([2, 8, 4]), 3)).toBe(2);
    expect(kthLargest(new Float32Array([2, 8, 4]), 5)).toBe(2);
    expect(kthLargest(new Float32Array([2, 8, 4]), 0)).toBe(Infinity);
    expect(kthLargest(new Float32Array([]), 1)).toBe(-Infinity);
  });

  it('agrees with a full sort on random data with many ties', () => {
    const r = new Rng(11);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + r.int(3000);
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = r.next() < 0.5 ? 0 : r.int(50);
      const sorted = Float32Array.from(a).sort();
      const k = 1 + r.int(n);
      expect(kthLargest(Float32Array.from(a), k)).toBe(sorted[n - k]);
    }
  });

  it('handles sorted, reversed and constant input', () => {
    const n = 10_000;
    const up = Float64Array.from({ length: n }, (_, i) => i);
    const down = Float64Array.from({ length: n }, (_, i) => n - i);
    expect(kthLargest(up, 100)).toBe(n - 100);
    expect(kthLargest(down, 100)).toBe(n - 99);
    expect(kthLargest(new Float64Array(n).fill(3), 17)).toBe(3);
  });
});
