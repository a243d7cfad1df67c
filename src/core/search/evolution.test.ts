import { describe, expect, it } from 'vitest';
import { AbortError } from '../abort';
import { evolutionarySearch, type GenerationResult, type SearchSettings } from './evolution';

const defaults: SearchSettings = {
  genes: 6,
  population: 25,
  generations: 25,
  parents: 10,
  mutationRate: 0.1,
  crossoverRate: 1,
  seed: 1,
};
const target = [0.9, 0.1, 0.5, 0.3, 0.8, 0.2];
const toy = async (g: number[]) => -g.reduce((a, v, i) => a + (v - target[i]!) ** 2, 0);

describe('evolutionarySearch', () => {
  it('is reproducible for a seed and differs for another seed', async () => {
    const a = await evolutionarySearch(defaults, toy);
    const b = await evolutionarySearch(defaults, toy);
    const c = await evolutionarySearch({ ...defaults, seed: 2 }, toy);
    expect(a).toEqual(b);
    expect(c.history).not.toEqual(a.history);
  });

  it('improves a known toy fitness over generations, best never falls', async () => {
    const seen: GenerationResult[] = [];
    const out = await evolutionarySearch(defaults, toy, (g) => seen.push(g));
    expect(seen.map((g) => g.generation)).toEqual([...Array(26).keys()]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.best).toBeGreaterThanOrEqual(seen[i - 1]!.best);
    expect(out.fitness).toBe(seen[25]!.best);
    expect(out.genome).toEqual(seen[25]!.bestGenome);
    expect(await toy(out.genome)).toBe(out.fitness);
    // the initial best of 25 random genomes is far off; the search gets close to the target
    expect(seen[0]!.best).toBeLessThan(-0.1);
    expect(out.fitness).toBeGreaterThan(-0.02);
    expect(out.fitness).toBeGreaterThan(seen[0]!.best * 0.2);
  });

  it('starts from the all-equal genome and scores it once', async () => {
    const calls: number[][] = [];
    await evolutionarySearch(defaults, async (g) => {
      calls.push(g);
      return toy(g);
    });
    expect(calls[0]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(calls.filter((g) => g.every((v) => v === 1)).length).toBe(1);
    // every call is a distinct genome (cache keyed by exact genes)
    expect(new Set(calls.map((g) => g.join(','))).size).toBe(calls.length);
  });

  it('scores population genomes first, then at most population - 1 new ones per generation', async () => {
    const seen: GenerationResult[] = [];
    await evolutionarySearch(defaults, toy, (g) => seen.push(g));
    expect(seen[0]!.evaluations).toBe(25);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.evaluations - seen[i - 1]!.evaluations).toBeLessThanOrEqual(24);
    }
  });

  it('without mutation or crossover only the random top-up genome is new each generation', async () => {
    // population 5: children = [all-equal, copy] + [copy, copy] (both cached) + 1 random
    let calls = 0;
    const s = { ...defaults, population: 5, parents: 2, generations: 4, mutationRate: 0, crossoverRate: 0 };
    const out = await evolutionarySearch(s, async (g) => {
      calls++;
      return toy(g);
    });
    expect(calls).toBe(5 + 4);
    expect(out.history.map((h) => h.evaluations)).toEqual([5, 6, 7, 8, 9]);
  });

  it('throws AbortError before the next evaluation once aborted', async () => {
    const signal = { aborted: false };
    let calls = 0;
    const run = evolutionarySearch(defaults, async (g) => {
      calls++;
      if (calls === 7) signal.aborted = true;
      return toy(g);
    }, undefined, signal);
    await expect(run).rejects.toBeInstanceOf(AbortError);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(7);
  });

  it('with concurrency scores the same genomes once each and returns the same result, calls overlapping', async () => {
    const run = async (concurrency: number) => {
      const calls: string[] = [];
      let live = 0;
      let most = 0;
      // Unequal delays finish calls out of order; the result must not depend on that.
      const slow = async (g: number[]) => {
        calls.push(g.join(','));
        most = Math.max(most, ++live);
        await new Promise((r) => setTimeout(r, (calls.length * 7) % 5));
        live--;
        return toy(g);
      };
      const result = await evolutionarySearch({ ...defaults, generations: 6, concurrency }, slow);
      return { result, calls, most };
    };
    const one = await run(1);
    const three = await run(3);
    expect(one.most).toBe(1);
    expect(three.most).toBe(3);
    expect(three.result).toEqual(one.result);
    expect([...three.calls].sort()).toEqual([...one.calls].sort());
    expect(new Set(three.calls).size).toBe(three.calls.length);
  });

  it('rejects impossible settings', async () => {
    await expect(evolutionarySearch({ ...defaults, parents: 30 }, toy)).rejects.toThrow();
    await expect(evolutionarySearch({ ...defaults, genes: 0 }, toy)).rejects.toThrow();
  });
});
