/**
 * The worker's hooks for the browser tests (`?debug=faults` on the page): injected faults, and
 * the GPU kernels' self-tests and timings. The kernel checks are loaded only when asked for, so
 * they stay out of the worker's main chunk.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelTiming } from '../src/engine/gpu-kernel-bench';

/** One backend's kernels checked against the host reference (problem null: all match) and, when they match, timed. */
export interface KernelCheck {
  /** The first mismatch found, or null. */
  problem: string | null;
  /** Old (generic ops) against new (the backend's kernel), per case; empty when a check failed. */
  timings: KernelTiming[];
}

/** `ready` settles once the worker's backend is selected. */
export function debugApi(ready: () => Promise<unknown>) {
  return {
    /** An uncaught error in the worker, or the loss of the WebGPU device. */
    async injectFault(kind: 'crash' | 'lose-device'): Promise<void> {
      if (kind === 'crash') {
        setTimeout(() => {
          throw new Error('injected crash');
        });
        return;
      }
      const device = (tf.backend() as unknown as { device?: { destroy?: () => void } }).device;
      if (!device?.destroy) throw new Error(`The ${tf.getBackend()} backend has no GPU device to lose.`);
      device.destroy();
    },

    /** The studio's WebGPU kernels against the host reference on this backend, then timed against the generic ops. */
    async checkWebGpuKernels(): Promise<KernelCheck> {
      await ready();
      const [{ webgpuKernelSelfTest }, { webgpuKernelTimings }] = await Promise.all([
        import('../src/engine/webgpu/kernel-self-test'),
        import('../src/engine/webgpu/kernel-bench'),
      ]);
      const problem = await webgpuKernelSelfTest();
      return { problem, timings: problem === null ? await webgpuKernelTimings() : [] };
    },

    /** The same for the studio's WebGL kernels (`?backend=webgl&debug=faults`); timings count shader runs. */
    async checkWebGlKernels(): Promise<KernelCheck> {
      await ready();
      const [{ webglKernelSelfTest }, { webglKernelTimings }] = await Promise.all([
        import('../src/engine/webgl/kernel-self-test'),
        import('../src/engine/webgl/kernel-bench'),
      ]);
      const problem = await webglKernelSelfTest();
      return { problem, timings: problem === null ? await webglKernelTimings() : [] };
    },
  };
}
