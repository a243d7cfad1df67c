import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { keepCount, magnitudeMask, magnitudeThreshold } from './magnitude';

const ones = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);

describe('keepCount', () => {
  it('rounds (1 - s) * n and clamps to 0..n', () => {
    expect(keepCount(10, 0.25)).toBe(8); // 7.5 rounds up
    expect(keepCount(10, 0.5)).toBe(5);
    expect(keepCount(7, 0.9)).toBe(1); // 0.7 -> 1
    expect(keepCount(10, 0)).toBe(10);
    expect(keepCount(10, 1)).toBe(0);
    expect(keepCount(3, 1.5)).toBe(0);
    expect(keepCount(3, -1)).toBe(3);
  });
});

describe('magnitudeThreshold', () => {
  it('is the keep-th largest value', () => {
    expect(magnitudeThreshold(new Float32Array([3, 1, 2, 5]), 2)).toBe(3);
    expect(magnitudeThreshold(new Float32Array([3, 1, 2, 5]), 4)).toBe(1);
  });
});

describe('magnitudeMask', () => {
  it('keeps the largest |w| (hand example)', () => {
    // keep round(0.4 * 5) = 2: |-3| and |2|
    expect([...magnitudeMask([0.1, -3, 2, 0.5, -0.2], 0.6)]).toEqual([0, 1, 1, 0, 0]);
  });

  it('breaks ties by lower index', () => {
    expect([...magnitudeMask([1, -1, 1, 0.5, 1], 0.6)]).toEqual([1, 1, 0, 0, 0]);
    // keep 3: 3 and 2 are above the tie value 1, then index 1 wins among the 1s
    expect([...magnitudeMask([2, 1, 1, 1, 3], 0.4)]).toEqual([1, 1, 0, 0, 1]);
  });

  it('handles sparsity 0 and 1, NaN and empty input', () => {
    expect([...magnitudeMask([0, 0, 1], 0)]).toEqual([1, 1, 1]);
    expect([...magnitudeMask([5, 4, 1], 1)]).toEqual([0, 0, 0]);
    expect([...magnitudeMask([NaN, 0, 1], 1 / 3)]).toEqual([0, 1, 1]);
    expect(magnitudeMask([], 0.5).length).toBe(0);
  });

  it('keeps exactly keepCount on 1M weights, fast, and matches a sort', () => {
    const r = new Rng(1);
    const n = 1_000_000;
    const w = new Float32Array(n);
    // 60% exact zeros (an already pruned layer) stresses ties at the threshold
    for (let i = 0; i < n; i++) w[i] = r.next() < 0.6 ? 0 : r.normal();
    for (const s of [0.5, 0.7, 0.9]) {
      const t0 = performance.now();
      const mask = magnitudeMask(w, s);
      const ms = performance.now() - t0;
      expect(ms).toBeLessThan(1500);
      expect(ones(mask)).toBe(keepCount(n, s));
      let minKept = Infinity;
      let maxDropped = -Infinity;
      for (let i = 0; i < n; i++) {
        const a = Math.abs(w[i]!);
        if (mask[i]) minKept = Math.min(minKept, a);
        else maxDropped = Math.max(maxDropped, a);
      }
      expect(minKept).toBeGreaterThanOrEqual(maxDropped);
      const sorted = Float32Array.from(w, Math.abs).sort();
      expect(minKept).toBe(sorted[n - keepCount(n, s)]);
    }
  });
});
