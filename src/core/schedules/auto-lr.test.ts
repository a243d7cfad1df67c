import { describe, expect, it } from 'vitest';
import { autoLearningRate } from './auto-lr';

describe('autoLearningRate', () => {
  it('0.01 with BatchNorm and at least 20 iterations, however short the warm-up', () => {
    expect(autoLearningRate({ hasBatchNorm: true, iterations: 16000, warmupIterations: 160 })).toBe(0.01);
    expect(autoLearningRate({ hasBatchNorm: true, iterations: 100, warmupIterations: 20 })).toBe(0.01);
    expect(autoLearningRate({ hasBatchNorm: true, iterations: 700, warmupIterations: 7 })).toBe(0.01);
  });

  it('0.003 without BatchNorm or for a run of fewer than 20 iterations', () => {
    expect(autoLearningRate({ hasBatchNorm: false, iterations: 16000, warmupIterations: 160 })).toBe(0.003);
    expect(autoLearningRate({ hasBatchNorm: true, iterations: 19, warmupIterations: 50 })).toBe(0.003);
  });
});
