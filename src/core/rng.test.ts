import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng', () => {
  it('matches an independent sfc32 + splitmix32 implementation (Python) for seeds 1 and 42', () => {
    const a = new Rng(1);
    expect([a.nextUint32(), a.nextUint32(), a.nextUint32()]).toEqual([1828152527, 3394835397, 2967886022]);
    const b = new Rng(42);
    expect([b.nextUint32(), b.nextUint32(), b.nextUint32()]).toEqual([1028872839, 2516511472, 400437680]);
  });

  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const seq = (seed: number) => {
      const r = new Rng(seed);
      return [r.next(), r.normal(), r.int(1000), r.next(), r.normal(), r.normal()];
    };
    expect(seq(7)).toEqual(seq(7));
    expect(seq(7)).not.toEqual(seq(8));
  });

  it('next() is the 32-bit output divided by 2^32', () => {
    const a = new Rng(1);
    expect(a.next()).toBe(1828152527 / 4294967296);
  });

  it('has uniform and normal moments close to their targets over 100k draws', () => {
    const r = new Rng(3);
    let su = 0;
    let min = 1;
    let max = 0;
    let sn = 0;
    let sn2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      su += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 1);
    expect(sn2 / n).toBeCloseTo(1, 1);
  });

  it('int(n) covers 0..n-1 and nothing else', () => {
    const r = new Rng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(6));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.int(0)).toBe(0);
  });

  it('shuffle permutes in place and returns the same array', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = new Rng(9).shuffle(a);
    expect(out).toBe(a);
    expect([...a].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(a).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Rng(9).shuffle([1, 2, 3, 4, 5, 6, 7, 8])).toEqual(a);
  });
});

describe('Rng state', () => {
  it('continues the same sequence from a saved state', () => {
    const a = new Rng(7);
    a.next();
    a.normal(); // leaves a spare normal pending
    const saved = a.getState();
    const expected = [a.normal(), a.next(), a.int(1000), ...a.shuffle([1, 2, 3, 4, 5, 6])];
    const b = new Rng(99);
    b.setState(structuredClone(saved));
    expect([b.normal(), b.next(), b.int(1000), ...b.shuffle([1, 2, 3, 4, 5, 6])]).toEqual(expected);
  });
});
