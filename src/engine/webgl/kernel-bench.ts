/** The WebGL kernels' timings against the generic ops (gpu-kernel-bench.ts), for the browser test. */
import * as tf from '@tensorflow/tfjs';
import { kernelTimings, type KernelTiming } from '../gpu-kernel-bench';
import { webglMagnitudeMask } from './magnitude-mask';
import { webglMaskedUpdate } from './masked-update';
import { webglNmMask } from './nm-mask';
import { onWebGl2 } from './program';

/** Old path against new on the active WebGL 2 backend; `dispatches` counts draws, unpacking included. */
export async function webglKernelTimings(): Promise<KernelTiming[]> {
  if (!onWebGl2()) throw new Error(`Kernel timings need WebGL 2 (active: ${tf.getBackend()})`);
  return kernelTimings({ launchMethod: 'runWebGLProgram', magnitudeMask: webglMagnitudeMask, nmMask: webglNmMask, maskedUpdate: webglMaskedUpdate });
}
