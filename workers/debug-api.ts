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

/** The faults a browser test can inject. */
export type FaultKind = 'crash' | 'lose-device' | 'hold-checkpoint-ack';

/**
 * Set by the 'hold-checkpoint-ack' fault: from the second checkpoint taken after a training step on, checkpoints are still
 * stored but the page is never told (a reload lands in between). `trainCheckpoints` counts those checkpoints.
 */
export const faults = { holdCheckpointAck: false, trainCheckpoints: 0 };

/** Whether the checkpoint just stored at `step` is kept from the page (the fault above). */
export function holdsCheckpointAck(step: number): boolean {
  if (!faults.holdCheckpointAck || step === 0) return false;
  return ++faults.trainCheckpoints >= 2;
}

/** `ready` settles once the worker's backend is selected. */
export function debugApi(ready: () => Promise<unknown>) {
  return {
    /** An uncaught error in the worker, the loss of the WebGPU device, or checkpoints the page is not told of. */
    async injectFault(kind: FaultKind): Promise<void> {
      if (kind === 'hold-checkpoint-ack') {
        Object.assign(faults, { holdCheckpointAck: true, trainCheckpoints: 0 });
        return;
      }
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
