import { describe, expect, it } from 'vitest';
import { countKept, countZeros, maskChurn } from './churn';

describe('maskChurn', () => {
  it('is the fraction of flipped bits', () => {
    expect(maskChurn(Uint8Array.of(1, 0, 1, 0), Uint8Array.of(1, 1, 0, 0))).toBe(0.5);
    expect(maskChurn(Uint8Array.of(1, 0, 1, 0), Uint8Array.of(1, 0, 1, 0))).toBe(0);
    expect(maskChurn(Uint8Array.of(1, 1, 1, 1, 1), Uint8Array.of(0, 1, 1, 1, 1))).toBe(0.2);
    expect(maskChurn(new Uint8Array(0), new Uint8Array(0))).toBe(0);
    expect(() => maskChurn(new Uint8Array(2), new Uint8Array(3))).toThrow();
  });
});

describe('countZeros / countKept', () => {
  it('counts exact zeros, -0 included', () => {
    expect(countZeros([0, -0, 1e-30, NaN, 2])).toBe(2);
    expect(countZeros(new Float32Array(5))).toBe(5);
    expect(countKept(Uint8Array.of(1, 0, 1, 1))).toBe(3);
  });
});
