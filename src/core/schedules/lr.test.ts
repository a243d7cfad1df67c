import { describe, expect, it } from 'vitest';
import { cosineLr, fitStepsToDeadline } from './lr';

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

describe('fitStepsToDeadline', () => {
  const at = { step: 40, planned: 112, warmup: 5, timedSteps: 40, timedMs: 40_000 };

  it('keeps the plan when the steps left fit the time left', () => {
    expect(fitStepsToDeadline({ ...at, msLeft: 72_000 })).toBe(112);
    expect(fitStepsToDeadline({ ...at, msLeft: 500_000 })).toBe(112);
    // Within 3% of the plan: not worth a jump in the learning rate.
    expect(fitStepsToDeadline({ ...at, msLeft: 70_000 })).toBe(112);
  });

  it('ends the schedule at the steps that fit, at the pace so far', () => {
    // 1 s per step, 43 s left: 43 more steps.
    expect(fitStepsToDeadline({ ...at, msLeft: 43_000 })).toBe(83);
    expect(fitStepsToDeadline({ ...at, msLeft: 43_999 })).toBe(83);
    expect(fitStepsToDeadline({ ...at, timedSteps: 20, timedMs: 40_000, msLeft: 43_000 })).toBe(61);
  });

  it('never ends before the next step nor inside the warm-up', () => {
    expect(fitStepsToDeadline({ ...at, msLeft: 0 })).toBe(41);
    expect(fitStepsToDeadline({ ...at, msLeft: -5_000 })).toBe(41);
    expect(fitStepsToDeadline({ ...at, step: 3, timedSteps: 3, timedMs: 3_000, warmup: 10, msLeft: 1_000 })).toBe(11);
  });

  it('decides nothing before it has timed a few steps, or without a deadline', () => {
    expect(fitStepsToDeadline({ ...at, timedSteps: 2, timedMs: 2_000, msLeft: 0 })).toBe(112);
    expect(fitStepsToDeadline({ ...at, msLeft: Infinity })).toBe(112);
  });
});
