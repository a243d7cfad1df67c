/**
 * Search workers for Node: worker threads, each with its own tfjs backend (the wasm backend runs
 * one thread in Node) and its own copy of the model, so that on a machine with several cores the
 * search's fitness evaluations run side by side (engine/pipeline/fitness-pool.ts). A genome's
 * fitness is the same in a worker as on the run's thread (fitness-workers.test.ts), so the
 * search's result does not depend on how many there are.
 */
import { availableParallelism, freemem } from 'node:os';
import type { NamedBytes } from '../core/session-types';
import type { FitnessWorkerFactory } from '../engine/pipeline/fitness';
import { fitnessPool, type FromFitnessWorker, type ToFitnessWorker, type WorkerPort } from '../engine/pipeline/fitness-pool';
import { startThread } from './worker-thread';

/** Workers by default: one per core beyond the run's own threads (`mainThreads`, its wasm backend's), at most 7. */
export function defaultSearchWorkers(mainThreads = 1): number {
  return Math.max(0, Math.min(7, availableParallelism() - mainThreads));
}

function spawn(backend: string): WorkerPort {
  return startThread<ToFitnessWorker, FromFitnessWorker>('fitness-worker', { backend });
}

/**
 * A factory of `count` search workers for a model given by its files, on `backend` (the run's own). With `fitMemory`
 * (the default count, not one the user asked for) no more start than half the free memory holds.
 */
export function nodeFitnessWorkers(files: NamedBytes[], count: number, backend: string, fitMemory = false): FitnessWorkerFactory {
  return fitnessPool(count, () => spawn(backend), files, fitMemory ? freemem : undefined);
}
