import { describe, expect, it } from 'vitest';
import { checkNm, formatCount } from './validity';

// Dense [8, 2] at 2:4 has 4 groups: g0 = [0, 2, 4, 6], g1 = [1, 3, 5, 7], g2 = [8, 10, 12, 14], g3 = [9, 11, 13, 15].
function valid2of4(): Float32Array {
  const w = new Float32Array(16);
  for (const i of [0, 6, 3, 5, 10, 12, 9, 15]) w[i] = i + 1;
  return w;
}

describe('checkNm', () => {
  it('accepts a valid 2:4 kernel', () => {
    const r = checkNm(valid2of4(), [8, 2], 2, 4, 'fc');
    expect(r).toEqual({ valid: true, groups: 4, violations: 0, firstViolations: [], fits: true, message: '2:4 holds in all 4 groups of fc.' });
  });

  it('finds a group with N + 1 non-zeros and names it', () => {
    const w = valid2of4();
    w[14] = -0.5; // group 2 now holds 10, 12, 14
    const r = checkNm(w, [8, 2], 2, 4, 'fc');
    expect(r.valid).toBe(false);
    expect(r.fits).toBe(true);
    expect(r.violations).toBe(1);
    expect(r.firstViolations).toEqual([{ group: 2, indices: [8, 10, 12, 14], nonZeros: 3 }]);
    expect(r.message).toBe('2:4 fails in 1 of 4 groups of fc; the first, group 2, holds 3 non-zeros.');
  });

  it('finds the right group in a conv kernel', () => {
    // Conv [2, 1, 4, 3] at 1:4: group 4 = spatial 1, block 0, output 1 = [13, 16, 19, 22].
    const w = new Float32Array(24);
    w[16] = 1;
    w[22] = 2;
    w[0] = 3; // group 0 alone: fine
    const r = checkNm(w, [2, 1, 4, 3], 1, 4);
    expect(r.groups).toBe(6);
    expect(r.firstViolations).toEqual([{ group: 4, indices: [13, 16, 19, 22], nonZeros: 2 }]);
    expect(r.message).toBe('1:4 fails in 1 of 6 groups; the first, group 4, holds 2 non-zeros.');
  });

  it('counts -0 as pruned and NaN as kept', () => {
    const w = new Float32Array([-0, -0, NaN, 1]); // Dense [4, 1]: one group
    expect(checkNm(w, [4, 1], 2, 4).valid).toBe(true);
    expect(checkNm(w, [4, 1], 1, 4).firstViolations[0]?.nonZeros).toBe(2);
    expect(checkNm(w, [4, 1], 2, 4).message).toBe('2:4 holds in the only group.');
  });

  it('reports at most 10 violations but counts them all', () => {
    const w = new Float32Array(4 * 12).fill(1); // Dense [4, 12] at 2:4: 12 full groups
    const r = checkNm(w, [4, 12], 2, 4);
    expect(r.violations).toBe(12);
    expect(r.firstViolations).toHaveLength(10);
    expect(r.firstViolations.map((v) => v.group)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('writes large counts with separators', () => {
    // [1, 1, 64, 72] at 2:4: 16 blocks * 72 outputs = 1,152 groups.
    const r = checkNm(new Float32Array(64 * 72), [1, 1, 64, 72], 2, 4, 'conv_pw_1');
    expect(r.message).toBe('2:4 holds in all 1,152 groups of conv_pw_1.');
  });

  it('says why a shape does not fit', () => {
    const r = checkNm(new Float32Array(12), [6, 2], 2, 4, 'fc');
    expect(r).toEqual({
      valid: false,
      groups: 0,
      violations: 0,
      firstViolations: [],
      fits: false,
      message: '2:4 cannot apply to fc: its 6 input channels are not a multiple of 4.',
    });
    expect(checkNm(new Float32Array(8), [8], 2, 4).message).toBe(
      '2:4 cannot apply to this layer: its shape [8] has no input-channel axis.',
    );
  });

  it('rejects a weight count that does not match the shape', () => {
    expect(() => checkNm(new Float32Array(15), [8, 2], 2, 4)).toThrow(/15 weights/);
  });
});

describe('formatCount', () => {
  it('groups thousands', () => {
    expect([0, 999, 1000, 1152, 1234567].map(formatCount)).toEqual(['0', '999', '1,000', '1,152', '1,234,567']);
  });
});
