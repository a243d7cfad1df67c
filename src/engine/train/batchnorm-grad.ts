/**
 * The gradient of FusedBatchNorm with broadcasting in place of tf.tile. TF.js's own gradient
 * tiles 1/sqrt(var + eps) to the full activation shape before multiplying; on wasm that Tile was
 * a quarter of a demo training step. Same values, one allocation fewer per BN layer and step.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs';
import { meanGradConfig } from './mean-grad';

/** Sums `t` down to `shape` over the axes broadcasting added (none when shapes agree). */
function sumTo(t: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, t.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, shape);
}

/**
 * y = (x - mean) * r * scale + offset with r = 1 / sqrt(variance + eps): dy/dx = r * scale,
 * dy/dmean = -r * scale, dy/dvariance = -(x - mean) * r^3 * scale / 2, dy/dscale = (x - mean) * r,
 * dy/doffset = 1, each summed down to its input's shape.
 */
export const batchNormGradConfig: GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
    const g = dy as tf.Tensor;
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const eps = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
    const r = tf.rsqrt(tf.add(variance, eps));
    const rScale = scale ? tf.mul(r, scale) : r;
    // The per-channel factors come out of the sums, so the four reductions need only two
    // full-size ones, shared (computed here: each closure below runs in its own tidy scope).
    const [sumG, sumGCentered] = tf.tidy(() => [sumTo(g, mean.shape), sumTo(tf.mul(g, tf.sub(x, mean)), mean.shape)]);
    return {
      x: () => tf.mul(g, rScale),
      mean: () => tf.neg(tf.mul(sumG!, rScale)),
      variance: () => tf.mul(sumGCentered!, tf.mul(tf.mul(rScale, tf.square(r)), -0.5)),
      scale: () => tf.mul(sumGCentered!, r),
      offset: () => tf.clone(sumG!),
    };
  },
};

let registered = false;

/** Puts the gradients above and Mean's (mean-grad.ts) in place of TF.js's (idempotent; before the first training step). */
export function registerTrainingGradients(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient(batchNormGradConfig);
  tf.registerGradient(meanGradConfig);
}
