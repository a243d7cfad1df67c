/**
 * The automatic learning rate of a model without BatchNorm reads the size of its first gradient
 * (core/schedules/auto-lr.ts): without BN a layer's output scales with its weights, so what a step
 * may change is set by the gradient against the weights, which pruning leaves far apart from one
 * model to the next (the largest ratio: 0.17 on the demo CNN, 9.6 on ResNet-32 at 90%).
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerVariable } from '@tensorflow/tfjs';
import { objectiveLoss, type ObjectiveParams } from './objective';

export interface GradientRatio {
  /** The largest ||dL/dw|| / ||w|| over the kernels. */
  ratio: number;
  /** Index of the kernel it was measured on. */
  kernel: number;
}

/**
 * ||dL/dw|| / ||w|| of each kernel at the model's current weights, for the objective on one batch
 * (`logits(x)` in training mode against `teacherLogits`); the largest, and where. Kernels whose
 * weights are all zero are skipped.
 */
export function largestGradientRatio(
  kernels: LayerVariable[],
  x: tf.Tensor,
  teacherLogits: tf.Tensor2D,
  logits: (x: tf.Tensor) => tf.Tensor2D,
  objective: ObjectiveParams,
  labels?: tf.Tensor1D,
): GradientRatio {
  let best: GradientRatio = { ratio: 0, kernel: 0 };
  tf.tidy(() => {
    const vars = kernels.map((k) => k.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => objectiveLoss(objective, teacherLogits, logits(x), labels), vars);
    vars.forEach((v, i) => {
      const g = grads[v.name];
      const w = tf.norm(v).dataSync()[0]!;
      if (!g || w === 0) return;
      const r = tf.norm(g).dataSync()[0]! / w;
      if (Number.isFinite(r) && r > best.ratio) best = { ratio: r, kernel: i };
    });
  });
  return best;
}
