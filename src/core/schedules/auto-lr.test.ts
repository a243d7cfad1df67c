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

  it('without BatchNorm, 0.01 over the largest gradient-to-weight ratio when it is measured, at most 0.01', () => {
    // ResNet-32 (BatchNorm folded) at 90%: ratio 9.6 -> about 1e-3, the rate that trained it.
    expect(autoLearningRate({ hasBatchNorm: false, iterations: 500, warmupIterations: 13, gradientRatio: 9.6 })).toBeCloseTo(0.01 / 9.6, 12);
    // ResNet-32 at 50%: ratio 1.3 -> about 7.7e-3.
    expect(autoLearningRate({ hasBatchNorm: false, iterations: 500, warmupIterations: 13, gradientRatio: 1.3 })).toBeCloseTo(0.01 / 1.3, 12);
    // Small ratios (the Fashion-MNIST MLP at 90%: 0.019; the CIFAR-10 CNN of assets/bnfree: 0.52) keep the cap, the rate both trained best at.
    expect(autoLearningRate({ hasBatchNorm: false, iterations: 700, warmupIterations: 7, gradientRatio: 0.019 })).toBe(0.01);
    expect(autoLearningRate({ hasBatchNorm: false, iterations: 700, warmupIterations: 7, gradientRatio: 0.52 })).toBe(0.01);
    // A BatchNorm model ignores it.
    expect(autoLearningRate({ hasBatchNorm: true, iterations: 500, warmupIterations: 13, gradientRatio: 9.6 })).toBe(0.01);
  });
});
