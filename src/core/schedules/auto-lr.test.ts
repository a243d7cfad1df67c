import { describe, expect, it } from 'vitest';
import { autoLearningRate } from './auto-lr';

describe('autoLearningRate', () => {
  it('0.01 with BatchNorm and a warm-up of at least 20 iterations', () => {
    expect(autoLearningRate({ hasBatchNorm: true, iterations: 16000, warmupIterations: 160 })).toBe(0.01);
    expect(autoLearningRate({ hasBatchNorm: true, iterations: 100, warmupIterations: 20 })).toBe(0.01);
  });

  it('0.003 without BatchNorm or with a short warm-up', () => {
    expect(autoLearningRate({ hasBatchNorm: false, iterations: 16000, warmupIterations: 160 })).toBe(0.003);
    expect(autoLearningRate({ hasBatchNorm: true, iterations: 800, warmupIterations: 8 })).toBe(0.003);
    expect(autoLearningRate({ hasBatchNorm: true, iterations: 19, warmupIterations: 50 })).toBe(0.003);
  });
});
