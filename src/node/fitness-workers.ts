/**
 * Search workers for Node: worker threads, each with its own tfjs backend (the wasm backend runs
 * one thread in Node) and its own copy of the model, so that on a machine with several cores the
 * search's fitness evaluations run side by side (engine/pipeline/fitness-pool.ts). A genome's
 * fitness is the same in a worker as on the run's thread (fitness-workers.test.ts), so the
 * search's result does not depend on how many there are.
 */
import { availableParallelism, freemem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bundleToCache } from '../../bin/bundle.mjs';
import type { NamedBytes } from '../core/session-types';
import type { FitnessWorkerFactory } from '../engine/pipeline/fitness';
import { fitnessPool, type FromFitnessWorker, type WorkerPort } from '../engine/pipeline/fitness-pool';
import { REPO_ROOT } from './repo-root';

/** Workers by default: one per core beyond the run's own thread, at most 7. */
export function defaultSearchWorkers(): number {
  return Math.max(0, Math.min(7, availableParallelism() - 1));
}

let entry: URL | null = null;

/**
 * The worker's script: fitness-worker-main.ts bundled once per process (bin/bundle.mjs). A worker that
 * compiled the TypeScript itself through tsx took 65 MB more and started slower; where esbuild
 * cannot build, that is the fallback (fitness-worker.mjs).
 */
function workerEntry(): URL {
  if (entry) return entry;
  const here = join(REPO_ROOT, 'src/node');
  try {
    entry = pathToFileURL(bundleToCache(REPO_ROOT, join(here, 'fitness-worker-main.ts')));
  } catch {
    entry = pathToFileURL(join(here, 'fitness-worker.mjs'));
  }
  return entry;
}

function spawn(backend: string): WorkerPort {
  const worker = new Worker(workerEntry(), { workerData: { backend } });
  return {
    post: (m) => worker.postMessage(m),
    listen(onMessage, onStop) {
      worker.on('message', (m: FromFitnessWorker) => onMessage(m));
      worker.on('error', (e) => onStop(`failed: ${e.message}`));
      worker.on('exit', (code) => onStop(`exited (code ${code})`));
    },
    terminate: () => worker.terminate(),
  };
}

/**
 * A factory of `count` search workers for a model given by its files, on `backend` (the run's own). With `fitMemory`
 * (the default count, not one the user asked for) no more start than half the free memory holds.
 */
export function nodeFitnessWorkers(files: NamedBytes[], count: number, backend: string, fitMemory = false): FitnessWorkerFactory {
  return fitnessPool(count, () => spawn(backend), files, fitMemory ? freemem : undefined);
}
