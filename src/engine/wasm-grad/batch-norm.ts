/**
 * Training-mode BatchNormalization on wasm through the studio's SIMD kernels (simd/kernels.wat):
 * the forward pass (batch statistics + normalisation) and its gradient, each a single kernel
 * over the channels-last activation instead of a chain of broadcasting wasm ops. Used by
 * train/lean-training.ts where simdBatchNormApplies(); other backends compose tf ops.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { ReluKind } from '../model/relu-after';
import { activeBatchSync } from '../train/batch-sync';
import { batchNormBackwardSimd, batchNormForwardSimd, reluGradSimd, type BatchReduce, type WasmHeap } from './simd/simd-kernels';

/** Kernel names (custom: TF.js has no such kernels). */
export const BATCH_NORM_TRAIN = 'PtsBatchNormTrain';
export const BATCH_NORM_GRAD = 'PtsBatchNormGrad';
export const RELU_GRAD = 'PtsReluGrad';

/** Totals over the threads sharing this batch (train/replicas.ts), if it is shared. */
function batchReduce(): BatchReduce | undefined {
  const sync = activeBatchSync();
  return sync ? (v) => sync.allReduce(v) : undefined;
}

function channels(x: TensorInfo): number {
  return x.shape[x.shape.length - 1]!;
}

/** A ReLU run inside the BN kernels, or none (the attr `activation`). */
export type BnActivation = 'none' | ReluKind;

/** The clamp of `activation`, null for none. */
function capOf(activation: unknown): number | null {
  return activation === 'relu' ? Infinity : activation === 'relu6' ? 6 : null;
}

/** Inputs x, gamma, beta; attrs epsilon and activation (BnActivation, applied to y). Outputs y, mean, variance (biased), rstd. */
export const batchNormTrainConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAIN,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as unknown as WasmHeap;
    const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', TensorInfo>;
    const c = channels(x);
    const y = heap.makeOutput([...x.shape], 'float32');
    const stats = [0, 1, 2].map(() => heap.makeOutput([c], 'float32'));
    const a = attrs as NamedAttrMap;
    const { mean, variance, rstd } = batchNormForwardSimd(backend as KernelBackend, x, c, gamma!, beta!, a['epsilon'] as number, y, batchReduce(), capOf(a['activation']));
    [mean, variance, rstd].forEach((v, i) => heap.typedArrayFromHeap(stats[i]!).set(v));
    return [y, ...stats];
  },
};

/**
 * Inputs dy, x, mean, rstd, gamma, and y (the forward's output) with attr activation other than
 * none: dy is then the gradient at the ReLU's output. Outputs dx, dgamma, dbeta.
 */
export const batchNormGradConfig: KernelConfig = {
  kernelName: BATCH_NORM_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as unknown as WasmHeap;
    const { dy, x, mean, rstd, gamma, y } = inputs as Record<'dy' | 'x' | 'mean' | 'rstd' | 'gamma' | 'y', TensorInfo>;
    const cap = capOf((attrs as NamedAttrMap | undefined)?.['activation']);
    const c = channels(x);
    const dx = heap.makeOutput([...x.shape], 'float32');
    const dGammaOut = heap.makeOutput([c], 'float32');
    const dBetaOut = heap.makeOutput([c], 'float32');
    const act = cap !== null && y ? { y, cap } : null;
    const { dGamma, dBeta } = batchNormBackwardSimd(backend as KernelBackend, dy, x, c, mean, rstd, gamma, dx, batchReduce(), act);
    heap.typedArrayFromHeap(dGammaOut).set(dGamma);
    heap.typedArrayFromHeap(dBetaOut).set(dBeta);
    return [dx, dGammaOut, dBetaOut];
  },
};

/** Inputs dy, y (the activation's output); attr cap (Infinity for ReLU, 6 for ReLU6). Output dx. */
export const reluGradConfig: KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as unknown as WasmHeap;
    const { dy, y } = inputs as Record<'dy' | 'y', TensorInfo>;
    const dx = heap.makeOutput([...dy.shape], 'float32');
    reluGradSimd(backend as KernelBackend, dy, y, (attrs as NamedAttrMap)['cap'] as number, dx);
    return dx;
  },
};

/** The ReLU / ReLU6 gradient through the SIMD kernel (active backend wasm); `cap` null for ReLU. */
export function reluGradWasm(dy: tf.Tensor, y: tf.Tensor, cap: number | null): tf.Tensor {
  return tf.engine().runKernel(RELU_GRAD, { dy, y }, { cap: cap ?? Infinity }) as tf.Tensor;
}

/**
 * y, mean, variance, rstd of training-mode BN through the SIMD kernel (the active backend must be
 * wasm); y is the ReLU or ReLU6 of the normalised output with `activation` other than none.
 */
export function batchNormTrainWasm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number, activation: BnActivation = 'none'): [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D] {
  return tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { epsilon, activation }) as unknown as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
}

/** dx, dgamma, dbeta through the SIMD kernel; with `activation` other than none, dy is at the ReLU's output `y`. */
export function batchNormGradWasm(dy: tf.Tensor, x: tf.Tensor, mean: tf.Tensor, rstd: tf.Tensor, gamma: tf.Tensor, activation: BnActivation = 'none', y?: tf.Tensor): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  const inputs: tf.NamedTensorMap = activation !== 'none' && y ? { dy, x, mean, rstd, gamma, y } : { dy, x, mean, rstd, gamma };
  return tf.engine().runKernel(BATCH_NORM_GRAD, inputs, { activation }) as unknown as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
}

/** Whether the SIMD BN kernels are registered on the active backend. */
export function batchNormKernelsActive(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(BATCH_NORM_TRAIN, 'wasm') !== undefined;
}
