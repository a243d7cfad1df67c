/** Default learning rate when the user leaves it at 0 (automatic). */

/** What the rule looks at. */
export interface AutoLrInfo {
  /** The model has BatchNormalization layers. */
  hasBatchNorm: boolean;
  /** Total DST iterations. */
  iterations: number;
  /** Linear warm-up iterations. */
  warmupIterations: number;
}

/** Peak lr 0.01 for the reference recipe's setting (BatchNorm, a real warm-up). */
export const AUTO_LR_HIGH = 0.01;
/** Peak lr 0.003 where 0.01 was measured to diverge. */
export const AUTO_LR_LOW = 0.003;
/** Warm-up iterations below which the short ramp cannot tame the first steps. */
export const AUTO_LR_MIN_WARMUP = 20;

/**
 * Rule of thumb from the lessons in docs/method.md: 0.01 (the ResNet reference lr) when the model has
 * BatchNorm and the warm-up lasts at least 20 iterations; otherwise 0.003, because a CNN without
 * BatchNorm diverged at 0.01 (first-layer gradient ~14x its weights over an 8-iteration warm-up)
 * and trained at 0.003. The warm-up is counted as at most the whole run.
 */
export function autoLearningRate(info: AutoLrInfo): number {
  const warmup = Math.min(info.warmupIterations, info.iterations);
  return info.hasBatchNorm && warmup >= AUTO_LR_MIN_WARMUP ? AUTO_LR_HIGH : AUTO_LR_LOW;
}
