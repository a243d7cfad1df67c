/**
 * Sum and Mean for wasm when they reduce every axis but the last: the per-channel statistics of
 * NHWC activations that BatchNorm takes in training and in its gradient. wasm moves the channels
 * to the front with a full Transpose and then sums rows; a matMul of the [n, c] matrix (read
 * transposed) against a column of ones reads it once. Any other reduction goes to wasm's own.
 */
import * as tf from '@tensorflow/tfjs';
// wasm's own kernels must be registered before they are looked up below.
import '@tensorflow/tfjs-backend-wasm';
import type { KernelBackend, KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { compose } from './compose';

/** True when `axis` names axes 0 .. rank - 2 of a float32 `x` with something to sum. */
function reducesLeadingAxes(x: TensorInfo, axis: number | number[]): boolean {
  const rank = x.shape.length;
  if (rank < 2 || x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) === 0) return false;
  const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  return axes.length === rank - 1 && axes.every((a, i) => a === i);
}

/** Per-channel sums (or means) of `x` over all leading axes, shaped as the reduction would be. */
export function reduceLeading(x: tf.Tensor, keepDims: boolean, mean: boolean): tf.Tensor {
  const c = x.shape[x.shape.length - 1]!;
  const n = x.size / c;
  // x^T times a column of ones reads x in place. A row of ones times x makes XNNPACK pack x as
  // the weights first: 3-4x slower on a fresh activation (12 against 40 ms for [401408, 8]),
  // though faster when the same tensor comes back, since XNNPACK caches packed weights per
  // tensor; time this with new tensors.
  const sums = tf.matMul(tf.reshape(x, [n, c]), tf.ones([n, 1]), true, false);
  const out = mean ? tf.div(sums, n) : sums;
  return tf.reshape(out, keepDims ? [...x.shape.slice(0, -1).map(() => 1), c] : [c]);
}

/** `name` for wasm: leading-axis reductions as above, the rest handed to `own` (wasm's kernel). */
function leadingReduction(name: string, own: KernelConfig, mean: boolean): KernelConfig {
  return {
    kernelName: name,
    backendName: 'wasm',
    setupFunc: own.setupFunc,
    disposeFunc: own.disposeFunc,
    kernelFunc: (args) => {
      const { axis, keepDims } = args.attrs as NamedAttrMap as { axis: number | number[]; keepDims: boolean };
      const x = args.inputs.x!;
      if (!reducesLeadingAxes(x, axis)) return own.kernelFunc(args);
      return compose(args.backend as KernelBackend, { x }, ({ x }) => reduceLeading(x, keepDims, mean));
    },
  };
}

function wasmKernel(name: string): KernelConfig {
  const own = tf.getKernel(name, 'wasm');
  if (!own) throw new Error(`the wasm backend has no ${name} kernel`);
  return own;
}

/** Sum for wasm, leading axes by matMul. */
export const sumLeadingConfig: KernelConfig = leadingReduction(tf.Sum, wasmKernel(tf.Sum), false);
/** Mean for wasm, leading axes by matMul. */
export const meanLeadingConfig: KernelConfig = leadingReduction(tf.Mean, wasmKernel(tf.Mean), true);
