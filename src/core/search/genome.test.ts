import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { describeGenome, genomeToSparsities, softmax } from './genome';

const kept = (params: number[], s: number[]) => params.reduce((a, n, l) => a + n * (1 - s[l]!), 0);

describe('softmax', () => {
  it('is stable for large inputs', () => {
    expect(softmax([1000, 1000])).toEqual([0.5, 0.5]);
    expect(softmax([Math.log(3), 0])[0]).toBeCloseTo(0.75, 15);
  });
});

describe('genomeToSparsities', () => {
  it('uniform regrowth by hand: params 100, 50, 10 at P = 0.5, delta = 0.05', () => {
    // Pe = 0.55, R = 0.05 * 160 = 8, a = 1/3 each
    const s = genomeToSparsities([0, 0, 0], [100, 50, 10], 0.5, 0.05);
    expect(s[0]).toBeCloseTo(0.55 - 8 / 3 / 100, 12);
    expect(s[1]).toBeCloseTo(0.55 - 8 / 3 / 50, 12);
    expect(s[2]).toBeCloseTo(0.55 - 8 / 3 / 10, 12);
    expect(kept([100, 50, 10], s)).toBeCloseTo(80, 10);
    // any constant genome is the same uniform regrowth
    expect(genomeToSparsities([1, 1, 1], [100, 50, 10], 0.5, 0.05)).toEqual(s);
  });

  it('meets (1 - P) * N exactly for random genomes when nothing clips', () => {
    const r = new Rng(8);
    const params = [20000, 18432, 36864, 73728, 25120];
    const n = params.reduce((a, b) => a + b, 0);
    for (let t = 0; t < 50; t++) {
      const g = params.map(() => r.next());
      const s = genomeToSparsities(g, params, 0.7, 0.05);
      expect(s.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(kept(params, s)).toBeCloseTo(0.3 * n, 6);
      expect(describeGenome(g, params, 0.7, 0.05).clipped).toEqual([]);
    }
  });

  it('reports the clipped case: a tiny layer that gets most of R is held at 0', () => {
    // N = 1002, R = 50.1; layer 2 gets ~all of R: 0.55 - 50.1 / 2 < 0 -> 0
    const plan = describeGenome([0, 10], [1000, 2], 0.5, 0.05);
    expect(plan.sparsities[1]).toBe(0);
    expect(plan.clipped).toEqual([1]);
    const a0 = 1 / (1 + Math.exp(10));
    expect(plan.sparsities[0]).toBeCloseTo(0.55 - (50.1 * a0) / 1000, 12);
    expect(plan.achieved).toBeGreaterThan(0.5);
    expect(plan.achieved).toBeCloseTo((1000 * plan.sparsities[0]!) / 1002, 12);
  });

  it('clamps Pe at 1 and hands back only what was taken (R = (Pe - P) N)', () => {
    const s = genomeToSparsities([0, 0], [100, 100], 0.98, 0.05);
    // Pe = 1, R = 0.02 * 200 = 4, 2 per layer
    expect(s[0]).toBeCloseTo(0.98, 12);
    expect(s[1]).toBeCloseTo(0.98, 12);
  });

  it('rejects a genome of the wrong length', () => {
    expect(() => genomeToSparsities([0], [1, 2], 0.5, 0.05)).toThrow();
  });
});
