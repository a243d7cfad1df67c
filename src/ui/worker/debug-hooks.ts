/**
 * Hooks for the browser tests, on the page only with `?debug=faults`: a worker crash, a lost GPU
 * device, a checkpoint stored but not announced, and the WebGPU and WebGL kernels' checks (which the worker loads only when asked).
 */
import type { FaultKind } from '../../../workers/debug-api';
import { recorderFaults } from '../persist/recorder';
import type { WorkerLife } from './worker-life';

/** Puts `ptsStudioFaults` on the page when its address asks for it. */
export function installDebugHooks(life: WorkerLife): void {
  if (new URLSearchParams(globalThis.location?.search ?? '').get('debug') !== 'faults') return;
  Object.assign(globalThis, {
    ptsStudioFaults: {
      inject: (kind: FaultKind) => {
        // A checkpoint kept from the page is tested with nothing else saving the charts meanwhile.
        if (kind === 'hold-checkpoint-ack') recorderFaults.noPeriodicSaves = true;
        return life.api.injectFault(kind);
      },
      checkWebGpuKernels: () => life.api.checkWebGpuKernels(),
      checkWebGlKernels: () => life.api.checkWebGlKernels(),
    },
  });
}
