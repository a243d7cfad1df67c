/**
 * Kernels the TF.js wasm backend lacks for training conv nets (4.22: the filter gradient of
 * Conv2D, both gradients of DepthwiseConv2dNative), and some it runs slowly (the input gradient
 * of Conv2D; Sum and Mean over all but the channel axis; Identity, which copies; Slice, which
 * copies a pixel at a time), composed from ops wasm runs fast.
 */
import * as tf from '@tensorflow/tfjs';
// Registers wasm's own kernels first, so the check below sees them.
import '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig } from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input';
import { identityConfig } from './identity';
import { batchNormGradConfig, batchNormTrainConfig, reluGradConfig } from './batch-norm';
import { magnitudeMaskConfig, nmMaskConfig } from './magnitude-mask';
import { maskedUpdateConfig } from './masked-update';
import { meanLeadingConfig, sumLeadingConfig } from './reduce-leading';
import { sliceConfig } from './slice';

/** Every kernel this folder can supply, for the 'wasm' backend. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  conv2DBackpropInputConfig,
  sumLeadingConfig,
  meanLeadingConfig,
  identityConfig,
  sliceConfig,
  batchNormTrainConfig,
  batchNormGradConfig,
  reluGradConfig,
  magnitudeMaskConfig,
  nmMaskConfig,
  maskedUpdateConfig,
];

/** Kernels wasm has but that ours outrun: registered in place of wasm's. */
const REPLACES: readonly string[] = [tf.Conv2DBackpropInput, tf.Sum, tf.Mean, tf.Identity, tf.Slice];

/**
 * Registers each kernel of WASM_TRAINING_KERNELS that wasm does not already have (a later TF.js
 * may ship its own), and those of REPLACES in place of wasm's. Idempotent; call any time before
 * the first training step. Returns the names registered by this call.
 */
export function registerWasmTrainingKernels(): string[] {
  const added: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    const existing = tf.getKernel(config.kernelName, config.backendName);
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing !== undefined) {
      if (!REPLACES.includes(config.kernelName)) continue;
      tf.unregisterKernel(config.kernelName, config.backendName);
    }
    tf.registerKernel(config);
    added.push(config.kernelName);
  }
  return added;
}
