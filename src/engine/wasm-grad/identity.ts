/**
 * Identity for wasm that shares the input's memory (one more reference) instead of copying it,
 * as the cpu and WebGL backends do. TF.js clones every tensor a gradient keeps for the backward
 * pass through Identity, so wasm's copying Identity doubled each kept activation: a quarter of
 * MobileNet's training-step memory, and a memcpy per kept tensor. TF.js never writes a tensor's
 * data in place (Reshape and Variable.assign already share it the same way), so sharing is safe.
 */
import * as tf from '@tensorflow/tfjs';
// wasm's own kernels are registered first, so index.ts can replace Identity.
import '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';

interface RefCounting {
  incRef(dataId: object): void;
}

export const identityConfig: KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs['x'] as TensorInfo;
    (backend as unknown as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  },
};
