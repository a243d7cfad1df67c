/** Default learning rate when the user leaves it at 0 (automatic). */

/** What the rule looks at. */
export interface AutoLrInfo {
  /** The model has BatchNormalization layers. */
  hasBatchNorm: boolean;
  /** Total DST iterations. */
  iterations: number;
  /** Linear warm-up iterations. */
  warmupIterations: number;
  /** Models without BatchNorm: the largest ||dL/dw|| / ||w|| of a kernel at the start (engine/train/lr-probe.ts). */
  gradientRatio?: number;
}

/** Peak lr 0.01 for the reference recipe's setting (BatchNorm, a real warm-up). */
export const AUTO_LR_HIGH = 0.01;
/** Peak lr 0.003 where 0.01 was measured to diverge. */
export const AUTO_LR_LOW = 0.003;
/** Iterations below which a run is too short for the higher rate to settle. */
export const AUTO_LR_MIN_ITERATIONS = 20;
/**
 * Without BatchNorm the rate is this over the largest gradient-to-weight ratio, at most
 * AUTO_LR_LOW. Measured on ResNet-32 (CIFAR-10, BatchNorm folded) at 90%, largest ratio 9.6, 4
 * epochs from the uniform one-shot model at 30% validation top-1: 3e-3 collapsed (46% -> 9% from
 * the searched one-shot model), 1e-3 reached 45%, 3e-4 36%. So 0.01 / 9.6 = 1.0e-3.
 */
export const AUTO_LR_GRADIENT_STEP = 0.01;
/**
 * The most the gradient rule gives. Models whose gradients are small against their weights train
 * best at the BatchNorm models' rate: the Fashion-MNIST MLP (largest ratio 0.019) and the CIFAR-10
 * CNN of assets/bnfree (0.52) at 90%, in the independent reference's sweep (--preset paper
 * settings, test top-1): the MLP 85.2% / 85.8% / 85.8% at 0.003 / 0.01 / 0.03 (means of three
 * seeds), the CNN 62.0% at 0.003 (seed 1) and 63.3% at 0.01 (three seeds, 63.0-63.5%). The
 * former cap, 0.003, held both back.
 */
export const AUTO_LR_GRADIENT_CAP = AUTO_LR_HIGH;

/**
 * Rule of thumb from docs/method.md's lessons: 0.01 (the reference recipe's rate for ResNets)
 * when the model has BatchNorm and the run has at least 20 iterations; otherwise 0.003, because
 * a CNN without BatchNorm diverged at 0.01 (first-layer gradient ~14x its weights) and trained
 * at 0.003. The warm-up's length does not decide: the demo CNN (BatchNorm) at 90% with 7-step
 * epochs trains well at 0.01 (the independent reference: 35% one-shot -> 61% on test images).
 * Without BatchNorm and with the first gradient measured, AUTO_LR_GRADIENT_STEP over its largest
 * gradient-to-weight ratio, capped at AUTO_LR_GRADIENT_CAP.
 */
export function autoLearningRate(info: AutoLrInfo): number {
  if (info.hasBatchNorm) return info.iterations >= AUTO_LR_MIN_ITERATIONS ? AUTO_LR_HIGH : AUTO_LR_LOW;
  if (info.gradientRatio !== undefined && info.gradientRatio > 0) return Math.min(AUTO_LR_GRADIENT_CAP, AUTO_LR_GRADIENT_STEP / info.gradientRatio);
  return AUTO_LR_LOW;
}
