import * as tf from '@tensorflow/tfjs';
import { objectiveLoss, type ObjectiveParams } from './objective';

/** Images, the teacher's logits on them and their labels when known. */
export interface GradientBatch {
  x: tf.Tensor;
  teacherLogits: tf.Tensor2D;
  labels?: tf.Tensor1D;
}

/** Splits `n` images into `parts` runs of near-equal size (the first ones one larger). */
export function evenParts(n: number, parts: number): number[] {
  const p = Math.max(1, Math.min(n, Math.floor(parts)));
  return Array.from({ length: p }, (_, i) => Math.floor(n / p) + (i < n % p ? 1 : 0));
}

/**
 * Loss and gradients of `batch` through consecutive parts of `sizes` images, each part's loss
 * weighted by its share of `total` images (the whole batch, of which this may be one thread's
 * shard), gradients summed. Every objective is a mean over images, so over all parts of all
 * shards the sum is the batch's gradient.
 */
export function partGradients(
  vars: tf.Variable[], batch: GradientBatch, logits: (x: tf.Tensor) => tf.Tensor2D, objective: ObjectiveParams, sizes: number[], total: number,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const n = batch.x.shape[0]!;
  if (sizes.length === 1 && sizes[0] === n && total === n) {
    return tf.variableGrads(() => objectiveLoss(objective, batch.teacherLogits, logits(batch.x), batch.labels), vars);
  }
  let value = tf.scalar(0);
  let grads: tf.NamedTensorMap = {};
  let start = 0;
  for (const m of sizes) {
    const part = (t: tf.Tensor) => tf.slice(t, start, m);
    const r = tf.variableGrads(() => tf.tidy(() => tf.mul(objectiveLoss(objective, part(batch.teacherLogits) as tf.Tensor2D, logits(part(batch.x)), batch.labels && (part(batch.labels) as tf.Tensor1D)), m / total)), vars);
    start += m;
    const sum = tf.add(value, r.value) as tf.Scalar;
    tf.dispose([value, r.value]);
    value = sum;
    const next: tf.NamedTensorMap = {};
    for (const [name, g] of Object.entries(r.grads)) {
      const old = grads[name];
      next[name] = old ? tf.add(old, g) : g;
      if (old) tf.dispose([old, g]);
    }
    grads = next;
  }
  return { value, grads };
}
