import { describe, expect, it } from 'vitest';
import { keepCount } from '../masks/magnitude';
import { Rng } from '../rng';
import { globalMagnitudeSparsities } from './global-magnitude';
import { lampScores, lampSparsities } from './lamp';

describe('lampSparsities', () => {
  it('scores by hand: w^2 over the suffix sum of larger-or-equal w^2', () => {
    expect([...lampScores([3, -1, 2])]).toEqual([1 / 14, 4 / 13, 1]);
    expect([...lampScores([0, 0])]).toEqual([0, 0]);
  });

  it('hand example where LAMP and global magnitude disagree', () => {
    // A = [1,2,3]: 1/14, 4/13, 1. B = [5,6,7]: 25/110, 36/85, 1. Keep 3: 1 (A), 1 (B), 36/85 (B).
    const layers = [[1, 2, 3], [5, 6, 7]];
    const lamp = lampSparsities(layers, 0.5);
    expect(lamp[0]).toBeCloseTo(2 / 3, 12);
    expect(lamp[1]).toBeCloseTo(1 / 3, 12);
    // global magnitude keeps 7, 6, 5: A is emptied
    expect(globalMagnitudeSparsities(layers, 0.5)).toEqual([1, 0]);
    // keep 2: the two scores of 1, one per layer
    const two = lampSparsities(layers, 2 / 3);
    expect(two[0]).toBeCloseTo(2 / 3, 12);
    expect(two[1]).toBeCloseTo(2 / 3, 12);
  });

  it('meets the global keep count exactly', () => {
    const r = new Rng(6);
    const layers = [64, 640, 33].map((n) => Array.from({ length: n }, () => r.normal()));
    const s = lampSparsities(layers, 0.9);
    const kept = s.reduce((a, v, l) => a + Math.round((1 - v) * layers[l]!.length), 0);
    expect(kept).toBe(keepCount(737, 0.9));
  });
});
