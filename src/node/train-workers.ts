/**
 * Training threads for Node: worker threads that each compute one shard of a training step
 * (engine/train/replicas.ts), so that a step uses every core where the wasm backend alone runs
 * on one thread in Node.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bundleToCache } from '../../bin/bundle.mjs';
import type { NamedBytes } from '../core/session-types';
import { TrainingReplicas, type FromReplica, type ReplicaFactory, type ReplicaPort } from '../engine/train/replicas';
import { REPO_ROOT } from './repo-root';

/** Threads a step runs on by default: one per core, at most 8. */
export function defaultTrainThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

let entry: URL | null = null;

/** train-worker-main.ts bundled once per process (bin/bundle.mjs), else through tsx. */
function workerEntry(): URL {
  if (entry) return entry;
  const here = join(REPO_ROOT, 'src/node');
  try {
    entry = pathToFileURL(bundleToCache(REPO_ROOT, join(here, 'train-worker-main.ts')));
  } catch {
    entry = pathToFileURL(join(here, 'train-worker.mjs'));
  }
  return entry;
}

function spawn(backend: string): ReplicaPort {
  const worker = new Worker(workerEntry(), { workerData: { backend } });
  return {
    post: (m) => worker.postMessage(m, m.type === 'step' ? [m.x.buffer as ArrayBuffer, m.teacher.buffer as ArrayBuffer] : []),
    listen(onMessage, onStop) {
      worker.on('message', (m: FromReplica) => onMessage(m));
      worker.on('error', (e) => onStop(`failed: ${e.message}`));
      worker.on('exit', (code) => onStop(`exited (code ${code})`));
    },
    terminate: () => worker.terminate(),
  };
}

/** Helpers for a step over `threads` threads (the run's own included) on `backend`, for a model given by its files. */
export function nodeTrainingThreads(files: NamedBytes[], threads: number, backend: string): ReplicaFactory {
  return (model, maxBatch) => TrainingReplicas.start(threads - 1, () => spawn(backend), files, model, maxBatch);
}
