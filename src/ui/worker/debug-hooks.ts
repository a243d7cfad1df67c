/**
 * Hooks for the browser tests, on the page only with `?debug=faults`: a worker crash, a lost GPU
 * device, and the WebGPU and WebGL kernels' checks (which the worker loads only when asked).
 */
import type { WorkerLife } from './worker-life';

/** Puts `ptsStudioFaults` on the page when its address asks for it. */
export function installDebugHooks(life: WorkerLife): void {
  if (new URLSearchParams(globalThis.location?.search ?? '').get('debug') !== 'faults') return;
  Object.assign(globalThis, {
    ptsStudioFaults: {
      inject: (kind: 'crash' | 'lose-device') => life.api.injectFault(kind),
      checkWebGpuKernels: () => life.api.checkWebGpuKernels(),
      checkWebGlKernels: () => life.api.checkWebGlKernels(),
    },
  });
}
