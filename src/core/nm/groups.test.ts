import { describe, expect, it } from 'vitest';
import { assertNm, groupStart, indexBits, nmGeometry, shapeSize } from './groups';

describe('nmGeometry', () => {
  it('lays out a Conv2D [3, 3, 8, 4] at M = 4', () => {
    // 9 spatial positions * 2 blocks of 4 input channels * 4 outputs.
    expect(nmGeometry([3, 3, 8, 4], 4)).toEqual({ outer: 9, inChannels: 8, out: 4, m: 4, fits: true, groups: 72 });
  });

  it('lays out a Dense [16, 5] at M = 8', () => {
    expect(nmGeometry([16, 5], 8)).toEqual({ outer: 1, inChannels: 16, out: 5, m: 8, fits: true, groups: 10 });
  });

  it('does not fit when in is not a multiple of M, or there is no input axis', () => {
    expect(nmGeometry([6, 2], 4).fits).toBe(false);
    expect(nmGeometry([6, 2], 4).groups).toBe(0);
    expect(nmGeometry([8], 4).fits).toBe(false);
  });
});

describe('groupStart', () => {
  it('walks groups in ascending order of their first weight', () => {
    // Dense [8, 2], M = 4: groups start at 0, 1 (block 0) then 8, 9 (block 1); stride 2.
    const dense = nmGeometry([8, 2], 4);
    expect([0, 1, 2, 3].map((g) => groupStart(dense, g))).toEqual([0, 1, 8, 9]);
  });

  it('finds a conv group: [2, 1, 4, 3], M = 4, group 4 is spatial 1, output 1', () => {
    // (s * in + block * M) * out + o = (1 * 4 + 0) * 3 + 1 = 13.
    expect(groupStart(nmGeometry([2, 1, 4, 3], 4), 4)).toBe(13);
  });
});

describe('indexBits', () => {
  it('is ceil(log2 M)', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 16].map(indexBits)).toEqual([0, 1, 2, 2, 3, 3, 4, 4]);
  });
});

describe('helpers', () => {
  it('multiplies shapes', () => {
    expect(shapeSize([3, 3, 8, 4])).toBe(288);
    expect(shapeSize([])).toBe(1);
  });

  it('rejects bad patterns', () => {
    expect(() => assertNm(3, 2)).toThrow(/1 <= N <= M/);
    expect(() => assertNm(0, 4)).toThrow(RangeError);
    expect(() => assertNm(1.5, 4)).toThrow(RangeError);
    expect(() => assertNm(2, 4)).not.toThrow();
  });
});
