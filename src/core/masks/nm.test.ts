import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { groupStart, nmGeometry } from '../nm/groups';
import { nmFits, nmMask, nmSparsity } from './nm';

describe('nmFits', () => {
  it('needs an input axis divisible by m', () => {
    expect(nmFits([3, 3, 16, 8], 4)).toBe(true);
    expect(nmFits([3, 3, 3, 8], 4)).toBe(false); // RGB first conv
    expect(nmFits([4, 3], 2)).toBe(true);
    expect(nmFits([3, 4], 2)).toBe(false); // in = 3
    expect(nmFits([5, 8, 10], 4)).toBe(true); // Conv1D [k, in, out]
    expect(nmFits([12], 4)).toBe(false);
  });
});

describe('nmMask', () => {
  it('conv [1,1,4,2] 2:4 by hand (flat index = c * 2 + o)', () => {
    // c0: (0.1, -4), c1: (-0.9, 0.3), c2: (0.5, 0.2), c3: (-0.2, 1)
    const w = [0.1, -4, -0.9, 0.3, 0.5, 0.2, -0.2, 1];
    // out 0: |0.1|,|0.9|,|0.5|,|0.2| keeps c1, c2 -> idx 2, 4; out 1: 4,.3,.2,1 keeps c0, c3 -> idx 1, 7
    expect([...nmMask(w, [1, 1, 4, 2], 2, 4)]).toEqual([0, 1, 1, 0, 1, 0, 0, 1]);
  });

  it('dense [4,3] 1:2 by hand, with a tie (flat index = c * 3 + o)', () => {
    const w = [1, -2, 3, -4, 5, -6, 0.5, 0.5, 7, 0.5, -1, 0];
    // (c0,c1): 1|4 -> idx 3; 2|5 -> 4; 3|6 -> 5. (c2,c3): .5|.5 tie -> 6; .5|1 -> 10; 7|0 -> 8
    expect([...nmMask(w, [4, 3], 1, 2)]).toEqual([0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0]);
  });

  it('ties keep the lower channel', () => {
    expect([...nmMask([1, 1, 1, 1], [4, 1], 2, 4)]).toEqual([1, 1, 0, 0]);
    expect([...nmMask([0, 2, 2, 2], [4, 1], 2, 4)]).toEqual([0, 1, 1, 0]);
  });

  it('depthwise [3,3,8,1] groups are 4 consecutive weights', () => {
    const w = Array.from({ length: 72 }, (_, i) => (i % 4) + 1); // 1,2,3,4 repeating
    const mask = nmMask(w, [3, 3, 8, 1], 2, 4);
    for (let i = 0; i < 72; i++) expect(mask[i]).toBe(i % 4 >= 2 ? 1 : 0);
  });

  it('keeps exactly n in every group on random data', () => {
    const r = new Rng(2);
    const shape = [3, 3, 16, 6];
    const w = Array.from({ length: 3 * 3 * 16 * 6 }, () => r.normal());
    const mask = nmMask(w, shape, 2, 8);
    const layout = nmGeometry(shape, 8);
    for (let g = 0; g < layout.groups; g++) {
      const s = groupStart(layout, g);
      let kept = 0;
      let minKept = Infinity;
      let maxDropped = -Infinity;
      for (let t = 0; t < 8; t++) {
        const i = s + t * layout.out;
        if (mask[i]) {
          kept++;
          minKept = Math.min(minKept, Math.abs(w[i]!));
        } else maxDropped = Math.max(maxDropped, Math.abs(w[i]!));
      }
      expect(kept).toBe(2);
      expect(minKept).toBeGreaterThan(maxDropped);
    }
    expect(mask.reduce((a, b) => a + b, 0) / mask.length).toBeCloseTo(1 - nmSparsity(2, 8), 12);
  });

  it('rejects bad patterns and shapes', () => {
    expect(() => nmMask([1, 2, 3, 4], [4, 1], 4, 4)).toThrow();
    expect(() => nmMask([1, 2, 3, 4], [4, 1], 0, 4)).toThrow();
    expect(() => nmMask([1, 2, 3], [3, 1], 1, 2)).toThrow();
    expect(() => nmMask([1, 2, 3], [4, 1], 1, 2)).toThrow();
  });
});
