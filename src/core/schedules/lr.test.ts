import { describe, expect, it } from 'vitest';
import { cosineLr, cosineLrWithin } from './lr';

describe('cosineLr', () => {
  it('warms up linearly from base / warmup to base', () => {
    expect(cosineLr(0, 100, 0.1, 10)).toBeCloseTo(0.01, 15);
    expect(cosineLr(4, 100, 0.1, 10)).toBeCloseTo(0.05, 15);
    expect(cosineLr(9, 100, 0.1, 10)).toBeCloseTo(0.1, 15);
  });

  it('then follows a cosine to 0 at totalSteps', () => {
    expect(cosineLr(10, 100, 0.1, 10)).toBeCloseTo(0.1, 15);
    expect(cosineLr(40, 100, 0.1, 10)).toBeCloseTo(0.075, 15); // progress 1/3: (1 + 1/2) / 2
    expect(cosineLr(55, 100, 0.1, 10)).toBeCloseTo(0.05, 15); // progress 1/2
    expect(cosineLr(100, 100, 0.1, 10)).toBeCloseTo(0, 15);
    expect(cosineLr(150, 100, 0.1, 10)).toBeCloseTo(0, 15);
  });

  it('without warm-up starts at the base rate', () => {
    expect(cosineLr(0, 100, 0.1, 0)).toBe(0.1);
    expect(cosineLr(50, 100, 0.1, 0)).toBeCloseTo(0.05, 15);
  });

  it('a run that is all warm-up ends at the base rate and never divides by zero', () => {
    expect(cosineLr(4, 5, 0.1, 5)).toBeCloseTo(0.1, 15);
    expect(cosineLr(5, 5, 0.1, 5)).toBe(0);
  });
});

describe('cosineLrWithin', () => {
  it('is the steps\' cosine while the time keeps up, or without a deadline', () => {
    expect(cosineLrWithin(40, 100, 0.1, 10, 0)).toBe(cosineLr(40, 100, 0.1, 10));
    expect(cosineLrWithin(40, 100, 0.1, 10, 0.2)).toBe(cosineLr(40, 100, 0.1, 10));
  });

  it('follows the time when it runs ahead of the steps, reaching zero at the deadline', () => {
    // Step progress 1/3, time progress 1/2: the rate of progress 1/2.
    expect(cosineLrWithin(40, 100, 0.1, 10, 0.5)).toBeCloseTo(0.05, 15);
    expect(cosineLrWithin(40, 100, 0.1, 10, 1)).toBeCloseTo(0, 15);
    expect(cosineLrWithin(40, 100, 0.1, 10, 1.7)).toBeCloseTo(0, 15);
  });

  it('leaves the warm-up to the steps', () => {
    expect(cosineLrWithin(4, 100, 0.1, 10, 0.9)).toBeCloseTo(0.05, 15);
  });
});
