/**
 * The re-estimation step for models without BatchNorm layers (docs/method.md section 2): a model
 * exported with its BatchNorm folded into the convolutions (PyTorch's ONNX export does this) has
 * no statistics to re-estimate, and pruning shrinks every layer's output, layer after layer, until
 * the logits no longer depend on the image (ResNet-32 at 90% one-shot: 9.8% top-1, the chance
 * level; training from there did not move it). This step does for each conv or dense layer what
 * BN re-estimation does for a BN layer: on calibration batches it measures the layer's output
 * per channel (before its activation) in the dense model and in the pruned one, and folds a
 * per-channel scale and shift into the layer's kernel and bias so that the pruned layer's
 * outputs have the dense mean and standard deviation. Layers are matched in order within one
 * pass (each later layer sees the earlier ones already matched), and the statistics are the
 * cumulative average over the batches, as for BN. A scale per output channel keeps every zero of
 * the mask where it is.
 */
import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../../core/abort';
import { leafLayers } from '../model/kernels';
import { batchNormKernelsActive, batchNormTrainWasm } from '../wasm-grad/batch-norm';
import { simdBatchNormApplies } from '../wasm-grad/simd/simd-kernels';

interface Activation {
  apply(x: tf.Tensor): tf.Tensor;
  getClassName(): string;
}

/** A conv or dense layer as this step reads it. */
interface MatchedLayer extends tf.layers.Layer {
  kernel?: tf.LayerVariable;
  depthwiseKernel?: tf.LayerVariable;
  pointwiseKernel?: tf.LayerVariable;
  bias?: tf.LayerVariable | null;
  activation?: Activation | null;
}

interface DenseState {
  layers: MatchedLayer[];
  /** Dense values of every weight of each layer (layer.weights order). */
  weights: Float32Array[][];
  /** Dense output statistics per layer, for the batches of `key`. */
  stats: { key: string; mean: Float32Array[]; std: Float32Array[] } | null;
  /** The per-channel scales the last match folded into each layer's output kernel. */
  scales: Float32Array[] | null;
}

const EPS = 1e-5;
const dense = new WeakMap<tf.LayersModel, DenseState>();

let linear: Activation | null = null;
/** TF.js's own linear activation (the layers read its class name to pick a fused kernel). */
function linearActivation(): Activation {
  linear ??= (tf.layers.dense({ units: 1 }) as unknown as { activation: Activation }).activation;
  return linear;
}

/** The variable whose output channels are the layer's: the pointwise kernel of a separable conv, the depthwise kernel, else the kernel. */
function outputKernel(l: MatchedLayer): tf.LayerVariable | undefined {
  return l.pointwiseKernel ?? l.depthwiseKernel ?? l.kernel;
}

/** The conv and dense layers of a model, in order. */
function matchableLayers(model: tf.LayersModel): MatchedLayer[] {
  return (leafLayers(model) as MatchedLayer[]).filter((l) => outputKernel(l) !== undefined);
}

/**
 * Records the model's current weights as its dense ones (call once, before any pruning). Later
 * matches start every layer's bias from these values and measure the dense statistics with them.
 */
export function rememberDenseWeights(model: tf.LayersModel): void {
  const layers = matchableLayers(model);
  dense.set(model, { layers, weights: layers.map((l) => l.weights.map((w) => w.read().dataSync().slice() as Float32Array)), stats: null, scales: null });
}

/** Runs the model over `batches` with `hook(layerIndex, preActivation)` replacing what each matched layer passes on (before its activation). */
function passWith(model: tf.LayersModel, layers: MatchedLayer[], batches: Iterable<tf.Tensor>, signal: { aborted: boolean } | undefined, hook: (i: number, y: tf.Tensor) => tf.Tensor): number {
  const own = layers.map((l) => Object.prototype.hasOwnProperty.call(l, 'call'));
  const calls = layers.map((l) => l.call);
  layers.forEach((layer, i) => {
    layer.call = function (inputs, kwargs) {
      const act = layer.activation ?? null;
      layer.activation = linearActivation();
      let y: tf.Tensor;
      try {
        y = calls[i]!.call(layer, inputs, kwargs) as tf.Tensor;
      } finally {
        layer.activation = act;
      }
      return tf.tidy(() => {
        const z = hook(i, y);
        return act && act.getClassName() !== 'linear' ? act.apply(z) : z;
      });
    };
  });
  let count = 0;
  try {
    for (const x of batches) {
      try {
        throwIfAborted(signal);
        tf.tidy(() => {
          model.apply(x, { training: false });
        });
      } finally {
        x.dispose();
      }
      count++;
    }
  } finally {
    layers.forEach((layer, i) => {
      if (own[i]) layer.call = calls[i]!;
      else delete (layer as { call?: unknown }).call;
    });
  }
  return count;
}

/**
 * `y` normalised per channel by its own batch statistics to mean `beta` and std `gamma` (or `y`
 * itself when `gamma` is null), those statistics (mean, biased variance) summed into `acc`. On
 * wasm one SIMD pass (the BN re-estimation's kernel) does both; elsewhere TF.js ops.
 */
function normalise(acc: { mean: Float32Array[]; variance: Float32Array[] }, i: number, y: tf.Tensor, gamma: tf.Tensor | null, beta: tf.Tensor | null): tf.Tensor {
  const c = y.shape[y.rank - 1]!;
  let z: tf.Tensor;
  let mean: tf.Tensor;
  let variance: tf.Tensor;
  if (y.dtype === 'float32' && batchNormKernelsActive() && simdBatchNormApplies(c)) {
    [z, mean, variance] = batchNormTrainWasm(y, gamma ?? tf.ones([c]), beta ?? tf.zeros([c]), EPS);
  } else {
    const m = tf.moments(y, [...Array(y.rank - 1).keys()]);
    mean = m.mean;
    variance = m.variance;
    z = gamma && beta ? tf.add(tf.mul(tf.mul(tf.sub(y, mean), tf.rsqrt(tf.add(variance, EPS))), gamma), beta) : y;
  }
  const add = (into: Float32Array[], t: tf.Tensor) => {
    const v = t.dataSync();
    const a = (into[i] ??= new Float32Array(v.length));
    for (let k = 0; k < v.length; k++) a[k]! += v[k]!;
  };
  add(acc.mean, mean);
  add(acc.variance, variance);
  return gamma ? z : y;
}

function writeAll(layers: MatchedLayer[], values: Float32Array[][]): void {
  tf.tidy(() => layers.forEach((l, i) => l.weights.forEach((w, k) => w.write(tf.tensor(values[i]![k]!, w.shape as number[], 'float32')))));
}

/**
 * Matches every conv and dense layer's output statistics to the dense model's (see the top of
 * this file) on `batches()`, which yields fresh tensors each call (they are disposed here); `key`
 * names that batch set, so the dense statistics are measured once per key. The model's kernels
 * are taken as they stand (the pruned ones); biases start from the dense values. Returns the
 * number of layers matched. rememberDenseWeights must have been called on the model.
 */
export function matchOutputStatistics(model: tf.LayersModel, batches: () => Iterable<tf.Tensor>, key: string, signal?: { aborted: boolean }): number {
  const state = dense.get(model);
  if (!state) throw new Error('matchOutputStatistics: the dense weights were not recorded (rememberDenseWeights)');
  const { layers } = state;
  if (layers.length === 0) return 0;
  if (state.stats?.key !== key) {
    const pruned = layers.map((l) => l.weights.map((w) => w.read().dataSync().slice() as Float32Array));
    writeAll(layers, state.weights);
    const acc = { mean: [] as Float32Array[], variance: [] as Float32Array[] };
    let n = 0;
    try {
      n = passWith(model, layers, batches(), signal, (i, y) => normalise(acc, i, y, null, null));
    } finally {
      writeAll(layers, pruned);
    }
    if (n === 0) return 0;
    state.stats = { key, mean: acc.mean.map((a) => a.map((v) => v / n)), std: acc.variance.map((a) => a.map((v) => Math.sqrt(v / n + EPS))) };
  }
  const { mean: dMean, std: dStd } = state.stats!;
  // Every layer's bias starts from its dense value, whatever an earlier match wrote.
  tf.tidy(() =>
    layers.forEach((l, i) => {
      if (l.bias) l.bias.write(tf.tensor(state.weights[i]![l.weights.indexOf(l.bias)]!, l.bias.shape as number[], 'float32'));
    }),
  );
  const targetMean = dMean.map((m) => tf.tensor1d(m));
  const targetStd = dStd.map((s) => tf.tensor1d(s));
  const acc = { mean: [] as Float32Array[], variance: [] as Float32Array[] };
  let n = 0;
  try {
    n = passWith(model, layers, batches(), signal, (i, y) => normalise(acc, i, y, targetStd[i]!, targetMean[i]!));
  } finally {
    tf.dispose([...targetMean, ...targetStd]);
  }
  if (n === 0) return 0;
  // Fold: y' = (y - mu) * s + mu_dense with y = conv(x, w) + b, so w' = w * s and b' = (b - mu) * s + mu_dense.
  state.scales = [];
  tf.tidy(() => layers.forEach((l, i) => {
    const mu = acc.mean[i]!.map((v) => v / n);
    const s = acc.variance[i]!.map((v, c) => dStd[i]![c]! / Math.sqrt(v / n + EPS));
    state.scales!.push(s);
    const kernel = outputKernel(l)!;
    const w = kernel.read().dataSync().slice() as Float32Array;
    const C = s.length;
    for (let j = 0; j < w.length; j++) w[j]! *= s[j % C]!;
    kernel.write(tf.tensor(w, kernel.shape as number[], 'float32'));
    if (l.bias) {
      const b = l.bias.read().dataSync();
      l.bias.write(tf.tensor1d(s.map((sc, c) => (b[c]! - mu[c]!) * sc + dMean[i]![c]!)));
    }
  }));
  return layers.length;
}

/**
 * The per-output-channel scale the last match folded into `kernel` (a layer's output kernel), or
 * null when the model was not matched or `kernel` is not an output kernel (the depthwise kernel
 * of a separable conv, whose scale went into the pointwise one).
 */
export function matchedScale(model: tf.LayersModel, kernel: tf.LayerVariable): Float32Array | null {
  const state = dense.get(model);
  if (!state?.scales) return null;
  const i = state.layers.findIndex((l) => outputKernel(l) === kernel);
  return i >= 0 ? state.scales[i]! : null;
}

/**
 * Takes the last match out of the model: each matched layer's output kernel back at its dense
 * values where it is not zero (its mask kept) and its bias back at the dense one, so the model
 * is the pruned model without the match (a model that was never matched is left as it is but
 * for its biases, which go back to their dense values). Returns false when the dense weights were
 * not recorded (rememberDenseWeights).
 */
export function removeMatch(model: tf.LayersModel): boolean {
  const state = dense.get(model);
  if (!state) return false;
  tf.tidy(() =>
    state.layers.forEach((l, i) => {
      const kernel = outputKernel(l)!;
      const k = l.weights.indexOf(kernel);
      const now = kernel.read().dataSync();
      kernel.write(tf.tensor(state.weights[i]![k]!.map((v, j) => (now[j] === 0 ? 0 : v)), kernel.shape as number[], 'float32'));
      if (l.bias) l.bias.write(tf.tensor(state.weights[i]![l.weights.indexOf(l.bias)]!, l.bias.shape as number[], 'float32'));
    }),
  );
  state.scales = null;
  return true;
}

/**
 * The DST start for a matched model: its matched one-shot kernel, with each pruned weight back at
 * its dense value so that it can regrow. A pruned weight does not take its channel's match scale:
 * where that scale is large (a channel that lost most of its weight), scaled pruned weights
 * outrank the kept ones of other channels, the first re-mask keeps them, and the outputs blow up
 * (ResNet-32 at 90%: a KL of 3,368 at the first step, NaN by the fourth).
 */
export function regrowableKernel(denseKernel: Float32Array, matched: Float32Array): Float32Array {
  return denseKernel.map((w, j) => (matched[j] !== 0 ? matched[j]! : w));
}
