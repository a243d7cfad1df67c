import * as tf from '@tensorflow/tfjs';
import type { Objective } from '../../core/options';

/** Settings of the training objective for one step. */
export interface ObjectiveParams {
  kind: Objective;
  /** Teacher temperature T. */
  temperature: number;
  /** Current ln(base) tau_e (only `kl-decay` uses it; `kl` fixes it at 1). */
  tau: number;
  /** Divide the student logits by T too (the studio default). */
  temperStudent: boolean;
}

/**
 * The training loss as a scalar tensor (docs/method.md section 1). Logits are [batch, classes].
 * `labels` is required for `ce` only.
 */
export function objectiveLoss(
  p: ObjectiveParams,
  teacherLogits: tf.Tensor2D,
  studentLogits: tf.Tensor2D,
  labels?: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => {
    switch (p.kind) {
      case 'kl-decay':
      case 'kl': {
        const tau = p.kind === 'kl' ? 1 : p.tau;
        const T = p.temperature;
        const logPt = tf.logSoftmax(tf.div(teacherLogits, T));
        const pt = tf.exp(logPt);
        const logQ = tf.logSoftmax(p.temperStudent ? tf.div(studentLogits, T) : studentLogits);
        const perRow = tf.sum(tf.mul(pt, tf.sub(logPt, tf.div(logQ, tau))), 1);
        return tf.mul(tf.mean(perRow), T * T) as tf.Scalar;
      }
      case 'mse':
        return tf.mean(tf.squaredDifference(studentLogits, teacherLogits)) as tf.Scalar;
      case 'ce': {
        if (!labels) throw new Error('The cross-entropy objective needs labelled calibration images.');
        const classes = studentLogits.shape[1];
        const oneHot = tf.oneHot(tf.cast(labels, 'int32'), classes);
        return tf.losses.softmaxCrossEntropy(oneHot, studentLogits) as tf.Scalar;
      }
    }
  });
}
