import { describe, expect, it } from 'vitest';
import { heuristicSparsities } from './index';

describe('heuristicSparsities', () => {
  it('dispatches by kind with shapes and weights', () => {
    const layers = [
      { shape: [1, 3], weights: [1, 2, 3] },
      { shape: [3, 1], weights: [5, 6, 7] },
    ];
    expect(heuristicSparsities('uniform', layers, 0.5)).toEqual([0.5, 0.5]);
    expect(heuristicSparsities('global', layers, 0.5)).toEqual([1, 0]);
    expect(heuristicSparsities('lamp', layers, 0.5).map((v) => +v.toFixed(12))).toEqual([+(2 / 3).toFixed(12), +(1 / 3).toFixed(12)]);
    // equal shapes sizes and dim sums: ERK is uniform here
    expect(heuristicSparsities('erk', layers, 0.5).map((v) => +v.toFixed(12))).toEqual([0.5, 0.5]);
  });
});
