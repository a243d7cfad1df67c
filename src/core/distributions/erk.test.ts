import { describe, expect, it } from 'vitest';
import { erkSparsities } from './erk';
import { globalSparsity } from './global';

describe('erkSparsities', () => {
  it('dense [10,10] + [2,5] at 90%: no layer saturates', () => {
    // raw = 20/100, 7/10; sum raw * n = 27; eps = 11 / 27
    const s = erkSparsities([[10, 10], [2, 5]], 0.9);
    expect(s[0]).toBeCloseTo(1 - 2.2 / 27, 12);
    expect(s[1]).toBeCloseTo(1 - 7.7 / 27, 12);
    expect(globalSparsity([100, 10], s)).toBeCloseTo(0.9, 12);
  });

  it('at 50% the small layer saturates, goes dense, and eps is re-solved', () => {
    // eps = 55 / 27 gives [2,5] density 1.43 > 1; then [10,10] keeps 55 - 10 = 45 of 100
    expect(erkSparsities([[10, 10], [2, 5]], 0.5).map((v) => +v.toFixed(12))).toEqual([0.55, 0]);
  });

  it('conv + dense stack by hand (raw * n = sum of dims: 25, 54, 42)', () => {
    const shapes = [[3, 3, 3, 16], [3, 3, 16, 32], [32, 10]];
    const params = [432, 4608, 320];
    const at90 = erkSparsities(shapes, 0.9); // keep 536, eps = 536 / 121
    expect(at90[0]).toBeCloseTo(1 - (536 * 25) / (121 * 432), 12);
    expect(at90[1]).toBeCloseTo(1 - (536 * 54) / (121 * 4608), 12);
    expect(at90[2]).toBeCloseTo(1 - (536 * 42) / (121 * 320), 12);
    expect(globalSparsity(params, at90)).toBeCloseTo(0.9, 12);
    const at50 = erkSparsities(shapes, 0.5); // layers 1 and 3 saturate; layer 2 keeps 2680 - 752
    expect(at50[0]).toBe(0);
    expect(at50[1]).toBeCloseTo(1 - 1928 / 4608, 12);
    expect(at50[2]).toBe(0);
    expect(globalSparsity(params, at50)).toBeCloseTo(0.5, 12);
  });

  it('p = 0 keeps everything', () => {
    expect(erkSparsities([[3, 3, 3, 8], [8, 4]], 0)).toEqual([0, 0]);
  });
});
