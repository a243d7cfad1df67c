/** The WebGPU kernels' timings against the generic ops (gpu-kernel-bench.ts), for the browser test. */
import * as tf from '@tensorflow/tfjs';
import { kernelTimings, type KernelTiming } from '../gpu-kernel-bench';
import { webgpuMagnitudeMask } from './magnitude-mask';
import { webgpuMaskedUpdate } from './masked-update';
import { webgpuNmMask } from './nm-mask';
import { onWebGpu } from './program';

/** Old path against new on the active WebGPU backend; `dispatches` counts compute dispatches. */
export async function webgpuKernelTimings(): Promise<KernelTiming[]> {
  if (!onWebGpu()) throw new Error(`Kernel timings need the webgpu backend (active: ${tf.getBackend()})`);
  return kernelTimings({ launchMethod: 'runWebGPUProgram', magnitudeMask: webgpuMagnitudeMask, nmMask: webgpuNmMask, maskedUpdate: webgpuMaskedUpdate });
}
