/**
 * Divergence detection for DST (docs/method.md's lessons: detect NaN and loss blow-up, say so).
 *
 * It watches a gap that is never negative and keeps its meaning from epoch to epoch: for the
 * distillation objectives, the KL to the teacher (T^2-scaled). The base-decayed objective itself
 * is not such a gap: it carries the teacher's entropy (negative) and its scale changes with
 * ln(b) each epoch, so "over 20x its minimum" of it means nothing once it is below zero (ResNet-32
 * at 90%: an objective going from -11.4 to 0.78 was called a divergence by that rule).
 */
import type { Objective } from '../options';
import { rateText } from '../words/numbers';

/** Below this KL (T^2-scaled) the student matches the teacher so closely that ratios to it are noise. */
export const GAP_FLOOR = 0.05;

/** The quantity divergence is judged on: the KL for `kl` and `kl-decay`, the loss itself for `mse` and `ce` (both >= 0). */
export function divergenceGap(objective: Objective, loss: number, kl: number): number {
  return distills(objective) ? kl : loss;
}

const distills = (objective: Objective) => objective === 'kl' || objective === 'kl-decay';

export interface DivergenceCheck {
  /** The step just taken (1-based). */
  step: number;
  loss: number;
  gap: number;
  /** The lowest gap of the steps before this one (Infinity at the start). */
  minGap: number;
  factor: number;
  /** Blow-ups are judged only after this step (the warm-up's rising rate). */
  after: number;
  lr: number;
  objective: Objective;
}

/** The divergence message for this step, or null when training is fine. A non-finite loss or gap always diverges. */
export function divergenceOf(c: DivergenceCheck): string | null {
  if (!Number.isFinite(c.loss) || !Number.isFinite(c.gap)) {
    return `Training diverged at step ${c.step} (loss ${c.loss}); lr ${rateText(c.lr)} is too high for this model. Kept the best checkpoint; try a lower learning rate.`;
  }
  const what = distills(c.objective) ? 'the KL to the dense model' : 'the loss';
  if (c.step > c.after && Number.isFinite(c.minGap) && c.gap > c.factor * Math.max(c.minGap, GAP_FLOOR)) {
    return `Training diverged at step ${c.step}: ${what} rose to ${c.gap.toPrecision(3)}, over ${c.factor}x its lowest ${c.minGap.toPrecision(3)}. Kept the best checkpoint; try a lower learning rate (now ${rateText(c.lr)}).`;
  }
  return null;
}
