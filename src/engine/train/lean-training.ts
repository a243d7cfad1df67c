/**
 * Training-mode BatchNormalization, ReLU and ReLU6 that keep fewer activations for the backward
 * pass. TF.js's own training forward of a BN layer runs moments() and batchNormalization() as
 * separate ops, and the tape keeps the input, the centred input, its square and the normalised
 * output; ReLU6 is minimum(6, relu(x)), which keeps both its input and relu's output. A
 * conv-BN-ReLU6 block so held about seven activation-sized tensors per step; MobileNet v1 0.25 at
 * batch 32 peaked at 3.1 GB of tensors.
 *
 * Here each is one custom-gradient op: BN keeps its input and two per-channel vectors, an
 * activation keeps only its output (which the next layer keeps anyway), and their backward
 * passes are written out (docs/method.md does not change: the values and gradients are the same
 * up to float rounding, see lean-training.test.ts). On wasm a ReLU or ReLU6 that is a BN's only
 * consumer runs inside the BN's kernels (the forward clamps as it writes, the backward masks as it
 * reads) and its layer passes the BN's output through: the Teachable Machine MobileNetV2, whose
 * ReLU layers (capped at 6) had run as a relu and a clip with TF.js's generic gradients, trained
 * in half the time. Inference is untouched.
 */
import * as tf from '@tensorflow/tfjs';
import type { BnInternals } from '../model/bn-internals';
import { leafLayers } from '../model/kernels';
import { installReluPassThrough, markReluApplied, reluAfter, type ReluKind } from '../model/relu-after';
import { activeBatchSync } from './batch-sync';
import { batchNormGradWasm, batchNormKernelsActive, batchNormTrainWasm, reluGradWasm } from '../wasm-grad/batch-norm';
import { simdAvailable, simdBatchNormApplies } from '../wasm-grad/simd/simd-kernels';

interface ActivationHolder {
  activation?: { getClassName(): string; apply(x: tf.Tensor): tf.Tensor } | null;
}

/** True when training-mode BN of `x` runs through the SIMD kernels (wasm-grad/batch-norm.ts), which can also apply a ReLU. */
export function batchNormSimdApplies(x: tf.Tensor): boolean {
  return batchNormKernelsActive() && x.dtype === 'float32' && simdBatchNormApplies(x.shape[x.rank - 1]!);
}

/**
 * Batch statistics and normalisation over every axis but the last, in one taped op: the output
 * is (x - mean) / sqrt(var + eps) * gamma + beta, or its ReLU / ReLU6 with `activation` (only
 * where batchNormSimdApplies); `stats` receives the batch mean and (biased) variance, kept, for
 * the moving averages.
 */
export function batchNormTraining(
  x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number, stats: (mean: tf.Tensor1D, variance: tf.Tensor1D) => void, activation: ReluKind | null = null,
): tf.Tensor {
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const n = x.size / x.shape[x.rank - 1]!;
  // One SIMD kernel each way on wasm (wasm-grad/batch-norm.ts); tf ops elsewhere.
  const simd = batchNormSimdApplies(x);
  if (activation && !simd) throw new Error('A ReLU runs inside BatchNorm only through the wasm SIMD kernels.');
  // A batch split across threads needs the totals only the SIMD kernels exchange (replicas.ts checks first).
  if (!simd && activeBatchSync()) throw new Error(`BatchNorm over ${x.shape[x.rank - 1]} channels cannot be trained across threads here.`);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    let value: tf.Tensor;
    let mean: tf.Tensor1D;
    let variance: tf.Tensor1D;
    let rstd: tf.Tensor;
    if (simd) {
      [value, mean, variance, rstd] = batchNormTrainWasm(xx, g, b, eps, activation ?? 'none');
    } else {
      mean = tf.mean(xx, axes) as tf.Tensor1D;
      variance = tf.tidy(() => tf.mean(tf.square(tf.sub(xx, mean)), axes)) as tf.Tensor1D;
      rstd = tf.rsqrt(tf.add(variance, eps));
      value = tf.batchNorm(xx, mean, variance, b, g, eps);
    }
    stats(tf.keep(mean.clone()), tf.keep(variance.clone()));
    // With the ReLU inside, its output too (the next layer keeps it anyway): the backward masks dy by it.
    save(activation ? [xx, mean, rstd, g, value] : [xx, mean, rstd, g]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sMean, sRstd, sGamma, sy] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor | undefined];
        if (simd) return batchNormGradWasm(dy, sx, sMean, sRstd, sGamma, activation ?? 'none', sy);
        // xc = x - mean; dgamma = rstd sum(dy xc); dbeta = sum(dy);
        // dx = gamma rstd (dy - dbeta / n - xc rstd dgamma / n) = a dy + b xc + c.
        const xc = tf.sub(sx, sMean);
        const sumDy = tf.sum(dy, axes);
        const sumDyXc = tf.tidy(() => tf.sum(tf.mul(dy, xc), axes));
        const dGamma = tf.mul(sumDyXc, sRstd);
        const a = tf.mul(sGamma, sRstd);
        const bCoef = tf.mul(tf.mul(a, sRstd), tf.div(dGamma, -n));
        const c = tf.mul(a, tf.div(sumDy, -n));
        const dx = tf.tidy(() => tf.add(tf.add(tf.mul(dy, a), tf.mul(xc, bCoef)), c));
        return [dx, dGamma, sumDy];
      },
    };
  });
  return op(x, gamma, beta);
}

/** ReLU, or ReLU6 with `cap` 6, that keeps its output (not its input) for the gradient. */
export function reluTraining(x: tf.Tensor, cap: number | null): tf.Tensor {
  // One SIMD pass on wasm (wasm-grad/batch-norm.ts) instead of four elementwise ops.
  const simd = batchNormKernelsActive() && x.dtype === 'float32' && simdAvailable();
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const value = cap === null ? tf.relu(xx) : tf.relu6(xx);
    save([value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const y = saved[0]!;
        // Passes where 0 < y (< cap): TF's Relu6Grad convention, zero at both ends.
        if (simd) return reluGradWasm(dy, y, cap);
        return tf.tidy(() => (cap === null ? tf.mul(dy, tf.step(y)) : tf.mul(dy, tf.mul(tf.step(y), tf.step(tf.sub(cap, y))))));
      },
    };
  });
  return op(x);
}

const patched = new WeakSet<object>();

/** True when a BN layer normalises over every axis but the last (NHWC and dense layers). */
function lastAxis(layer: BnInternals, rank: number): boolean {
  return layer.axis === -1 || layer.axis === rank - 1;
}

function patchBatchNorm(layer: tf.layers.Layer): void {
  const bn = layer as unknown as BnInternals;
  const own = bn.call.bind(bn);
  const relu = reluAfter(layer);
  if (relu) installReluPassThrough(relu.layer);
  bn.call = (inputs, kwargs) => {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!kwargs?.['training'] || !lastAxis(bn, x.rank)) return own(inputs, kwargs);
    return tf.tidy(() => {
      const c = x.shape[x.rank - 1]!;
      const gamma = bn.gamma ? bn.gamma.read() : tf.ones([c]);
      const beta = bn.beta ? bn.beta.read() : tf.zeros([c]);
      let mean: tf.Tensor1D | null = null;
      let variance: tf.Tensor1D | null = null;
      const fuse = relu && batchNormSimdApplies(x) ? relu.activation : null;
      const y = batchNormTraining(x, gamma, beta, bn.epsilon, (m, v) => {
        mean = m;
        variance = v;
      }, fuse);
      if (fuse) markReluApplied(y);
      // The same moving-average update as the layer's own training call.
      const decay = 1 - bn.momentum;
      for (const [variable, value] of [[bn.movingMean, mean!], [bn.movingVariance, variance!]] as const) {
        tf.tidy(() => {
          const old = variable.read();
          variable.write(tf.sub(old, tf.mul(tf.sub(old, value), decay)));
        });
      }
      tf.dispose([mean!, variance!]);
      return y;
    });
  };
}

function patchActivation(layer: tf.layers.Layer): void {
  const holder = layer as unknown as ActivationHolder;
  const act = holder.activation;
  if (!act || typeof act.getClassName !== 'function') return;
  const name = act.getClassName();
  if (name !== 'relu' && name !== 'relu6') return;
  const cap = name === 'relu6' ? 6 : null;
  // Same class name, so the layer's config (and the exported model) is unchanged.
  holder.activation = Object.assign(Object.create(Object.getPrototypeOf(act) as object) as object, act, {
    apply: (x: tf.Tensor) => reluTraining(x, cap),
  }) as ActivationHolder['activation'];
}

/**
 * Puts the lean training forms in place on `model`'s BatchNormalization layers and relu/relu6
 * activations (idempotent). Inference calls run exactly as before.
 */
export function installLeanTraining(model: tf.LayersModel): void {
  for (const layer of leafLayers(model)) {
    if (patched.has(layer)) continue;
    patched.add(layer);
    if (layer.getClassName() === 'BatchNormalization') patchBatchNorm(layer);
    else patchActivation(layer);
  }
}
