import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../../core/abort';
import type { BnInternals } from '../model/bn-internals';
import { layersOfClass } from '../model/walk';
import { batchNormKernelsActive, batchNormTrainWasm } from '../wasm-grad/batch-norm';
import { simdBatchNormApplies } from '../wasm-grad/simd/simd-kernels';

/** BatchNormalization internals the re-estimation reads and writes. */
type BnLayer = tf.layers.Layer & BnInternals;

/**
 * Batch `x` plus the re-estimation's Gaussian noise (std `noiseStd`, seeded), or `x` itself
 * when the noise is off. Batch k of a re-estimation seeded s uses seed s + k.
 */
export function withBnNoise(x: tf.Tensor, noiseStd: number, seed: number): tf.Tensor {
  return noiseStd > 0 ? tf.add(x, tf.randomNormal(x.shape, 0, noiseStd, 'float32', seed)) : x;
}

/**
 * Re-estimates every BatchNormalization layer's moving mean and variance (docs/method.md section 2):
 * runs the model with each BN normalising by its batch statistics (so later layers see what they
 * would in training) on the given batches plus Gaussian noise, and sets
 * the moving statistics to the cumulative average of the per-batch mean and unbiased variance.
 * Returns the number of BN layers updated.
 */
export async function reestimateBatchNorm(
  model: tf.LayersModel,
  batches: Iterable<tf.Tensor>,
  noiseStd: number,
  signal?: { aborted: boolean },
  seed = 0,
): Promise<number> {
  const bns = layersOfClass(model, 'BatchNormalization') as BnLayer[];
  if (bns.length === 0) return 0;
  const sums = bns.map(() => ({ mean: null as tf.Tensor | null, variance: null as tf.Tensor | null }));
  const originals = bns.map((l) => l.call);
  const ownCall = bns.map((l) => Object.prototype.hasOwnProperty.call(l, 'call'));
  let count = 0;
  bns.forEach((layer, i) => {
    layer.call = function (inputs, kwargs) {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
      const acc = sums[i]!;
      // Training-mode normalisation, written out: the model runs in inference mode, where the
      // layers executor frees each activation once the next layer has read it (in training mode it
      // keeps them all for a gradient nobody takes; 0.9 GB for MobileNet at batch 64). One
      // moments() serves both the running sums and the normalisation.
      return tf.tidy(() => {
        const axis = layer.axis >= 0 ? layer.axis : layer.axis + x.rank;
        const axes = [...Array(x.rank).keys()].filter((a) => a !== axis);
        const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
        const c = x.shape[axis]!;
        let y: tf.Tensor;
        let mean: tf.Tensor;
        let variance: tf.Tensor;
        if (axis === x.rank - 1 && x.dtype === 'float32' && batchNormKernelsActive() && simdBatchNormApplies(c)) {
          // One SIMD kernel for the statistics and the normalisation (wasm-grad/batch-norm.ts).
          const gamma = layer.gamma ? layer.gamma.read() : tf.ones([c]);
          const beta = layer.beta ? layer.beta.read() : tf.zeros([c]);
          [y, mean, variance] = batchNormTrainWasm(x, gamma, beta, layer.epsilon);
        } else {
          const shape = x.shape.map((d, a) => (a === axis ? d : 1));
          const m = tf.moments(x, axes, true);
          const param = (v: tf.LayerVariable | undefined) => (v ? tf.reshape(v.read(), shape) : undefined);
          y = tf.batchNorm(x, m.mean, m.variance, param(layer.beta), param(layer.gamma), layer.epsilon);
          mean = tf.reshape(m.mean, [c]);
          variance = tf.reshape(m.variance, [c]);
        }
        const unbiased = tf.mul(variance, n / Math.max(n - 1, 1));
        const nextMean = acc.mean ? tf.add(acc.mean, mean) : mean;
        const nextVar = acc.variance ? tf.add(acc.variance, unbiased) : unbiased;
        acc.mean?.dispose();
        acc.variance?.dispose();
        acc.mean = tf.keep(nextMean);
        acc.variance = tf.keep(nextVar);
        return y;
      });
    };
  });
  let done = false;
  try {
    for (const x of batches) {
      try {
        throwIfAborted(signal);
        tf.tidy(() => {
          model.apply(withBnNoise(x, noiseStd, seed + count), { training: false });
        });
      } finally {
        x.dispose();
      }
      count++;
      // Let the event loop breathe between batches (UI, cancel messages).
      await tf.nextFrame();
    }
    done = true;
  } finally {
    bns.forEach((layer, i) => {
      if (ownCall[i]) layer.call = originals[i]!;
      else delete (layer as { call?: unknown }).call;
    });
    // Cancelled or failed: the partial sums go with it.
    if (!done) for (const acc of sums) tf.dispose([acc.mean, acc.variance].filter((t): t is tf.Tensor => t !== null));
  }
  bns.forEach((layer, i) => {
    const acc = sums[i]!;
    if (acc.mean && acc.variance && count > 0) {
      tf.tidy(() => {
        layer.movingMean.write(tf.div(acc.mean!, count));
        layer.movingVariance.write(tf.div(acc.variance!, count));
      });
    }
    acc.mean?.dispose();
    acc.variance?.dispose();
  });
  return bns.length;
}
