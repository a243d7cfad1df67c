import { describe, expect, it } from 'vitest';
import { tauAt, tauLinearLog } from './log-base';

describe('tauAt', () => {
  it('is tau0 * gamma^epoch', () => {
    expect(tauAt(0, 8, 0.99)).toBe(8);
    expect(tauAt(1, 8, 0.99)).toBeCloseTo(7.92, 12);
    expect(tauAt(2, 8, 0.99)).toBeCloseTo(7.8408, 12);
    expect(tauAt(100, 8, 0.99)).toBeCloseTo(2.928258, 5); // 0.99^100 = 0.3660323
  });
});

describe('tauLinearLog', () => {
  it('interpolates geometrically between start and end', () => {
    expect(tauLinearLog(0, 8, 2)).toBe(8);
    expect(tauLinearLog(1, 8, 2)).toBeCloseTo(2, 12);
    expect(tauLinearLog(0.5, 8, 2)).toBeCloseTo(4, 12); // sqrt(8 * 2)
    expect(tauLinearLog(0.25, 16, 1)).toBeCloseTo(8, 12);
    expect(tauLinearLog(2, 8, 2)).toBeCloseTo(2, 12);
    expect(tauLinearLog(-1, 8, 2)).toBe(8);
  });
});
