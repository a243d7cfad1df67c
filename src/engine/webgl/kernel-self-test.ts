/**
 * Checks the studio's WebGL kernels against the same references and cases as the WebGPU ones
 * (src/engine/webgpu/kernel-self-test.ts checkKernels): masks against the host's bit for bit,
 * the masked update against the trainer's generic ops within float32 rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { checkKernels, type MaskKernels } from '../webgpu/kernel-self-test';
import { webglMagnitudeMask } from './magnitude-mask';
import { webglMaskedUpdate } from './masked-update';
import { webglNmMask } from './nm-mask';
import { onWebGl2 } from './program';

/** The WebGL kernels of src/engine/webgl. */
export const WEBGL_KERNELS: MaskKernels = { magnitude: webglMagnitudeMask, nm: webglNmMask, update: webglMaskedUpdate };

/** Null when the WebGL kernels match their references on this backend and free what they make, else what went wrong. */
export async function webglKernelSelfTest(kernels: MaskKernels = WEBGL_KERNELS): Promise<string | null> {
  if (!onWebGl2()) return `the active backend is ${tf.getBackend()}, not WebGL 2 with float32 render targets`;
  const before = tf.memory();
  const problem = await checkKernels(kernels);
  const after = tf.memory();
  const leaked = Math.max(after.numTensors - before.numTensors, after.numDataBuffers - before.numDataBuffers);
  return problem ?? (leaked > 0 ? `its WebGL kernels left ${leaked} tensors behind` : null);
}
