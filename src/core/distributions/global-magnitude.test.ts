import { describe, expect, it } from 'vitest';
import { keepCount } from '../masks/magnitude';
import { Rng } from '../rng';
import { globalMagnitudeSparsities } from './global-magnitude';

describe('globalMagnitudeSparsities', () => {
  it('one threshold over all layers (hand example)', () => {
    // keep round(3/7 * 7) = 3 of 7: |2|, |-0.5|, |0.4|
    const s = globalMagnitudeSparsities([[0.1, -0.5, 0.3], [2, 0.05, -0.2, 0.4]], 4 / 7);
    expect(s[0]).toBeCloseTo(2 / 3, 12);
    expect(s[1]).toBeCloseTo(0.5, 12);
  });

  it('ties go to the earlier layer first', () => {
    expect(globalMagnitudeSparsities([[1, 1], [1, 1]], 0.5)).toEqual([0, 1]);
    expect(globalMagnitudeSparsities([[1, 1], [1, 1]], 0.25)).toEqual([0, 0.5]);
  });

  it('meets the global keep count exactly on random layers', () => {
    const r = new Rng(4);
    const layers = [300, 1200, 77, 5000].map((n) => Float32Array.from({ length: n }, () => (r.next() < 0.3 ? 0 : r.normal())));
    const total = 6577;
    for (const p of [0.3, 0.8, 0.95]) {
      const s = globalMagnitudeSparsities(layers, p);
      const kept = s.reduce((a, v, l) => a + Math.round((1 - v) * layers[l]!.length), 0);
      expect(kept).toBe(keepCount(total, p));
    }
  });
});
