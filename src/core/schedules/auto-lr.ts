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
/** Iterations below which a run is too short for the higher rate to settle. */
export const AUTO_LR_MIN_ITERATIONS = 20;

/**
 * Rule of thumb from docs/method.md's lessons: 0.01 (the reference recipe's rate for ResNets)
 * when the model has BatchNorm and the run has at least 20 iterations; otherwise 0.003, because
 * a CNN without BatchNorm diverged at 0.01 (first-layer gradient ~14x its weights) and trained
 * at 0.003. The warm-up's length does not decide: the demo CNN (BatchNorm) at 90% with 7-step
 * epochs trains well at 0.01 (the independent reference: 35% one-shot -> 61% on test images).
 */
export function autoLearningRate(info: AutoLrInfo): number {
  return info.hasBatchNorm && info.iterations >= AUTO_LR_MIN_ITERATIONS ? AUTO_LR_HIGH : AUTO_LR_LOW;
}
