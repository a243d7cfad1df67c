/**
 * Search workers in the browser: Web Workers started by the compute worker, each with its own
 * single-threaded wasm backend and its own copy of the model, so that the search's fitness
 * evaluations run side by side on the cores the compute worker's wasm leaves idle
 * (src/engine/pipeline/fitness-pool.ts). Only for runs on wasm, whose results they reproduce
 * bit for bit; the GPU backends keep the search on their one device.
 */
import type { NamedBytes } from '../src/core/session-types';
import type { FitnessWorkerFactory } from '../src/engine/pipeline/fitness';
import { fitnessPool, type FromFitnessWorker, type WorkerPort } from '../src/engine/pipeline/fitness-pool';

function spawn(index: number): WorkerPort {
  const worker = new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module', name: `search-${index + 1}` });
  return {
    post: (m) => worker.postMessage(m),
    listen(onMessage, onStop) {
      worker.addEventListener('message', (e: MessageEvent<FromFitnessWorker>) => onMessage(e.data));
      worker.addEventListener('error', (e) => onStop(`failed: ${e.message || 'the worker script did not load'}`));
      worker.addEventListener('messageerror', () => onStop('sent a message that could not be read'));
    },
    terminate: () => worker.terminate(),
  };
}

/**
 * Search workers by default for a run on wasm with `wasmThreads` threads: the logical cores
 * beyond those threads and one for the page, at most 7.
 */
export function defaultBrowserSearchWorkers(wasmThreads: number): number {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  return Math.max(0, Math.min(7, cores - wasmThreads - 1));
}

/** A factory of `count` search workers for the model given by its files. */
export function browserSearchWorkers(count: number): (files: NamedBytes[]) => FitnessWorkerFactory {
  return (files) => fitnessPool(count, spawn, files);
}
