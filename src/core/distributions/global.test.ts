import { describe, expect, it } from 'vitest';
import { globalSparsity } from './global';
import { uniformSparsities } from './uniform';

describe('globalSparsity / uniform', () => {
  it('is the parameter-weighted mean', () => {
    expect(globalSparsity([100, 10], [0.55, 0])).toBeCloseTo(0.5, 12);
    expect(globalSparsity([1, 3], [1, 0])).toBe(0.25);
    expect(globalSparsity([], [])).toBe(0);
    expect(uniformSparsities([5, 7, 9], 0.7)).toEqual([0.7, 0.7, 0.7]);
  });
});
