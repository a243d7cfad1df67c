/**
 * Training threads for Node: worker threads that each compute one shard of a training step
 * (engine/train/replicas.ts), so that a step uses every core where the wasm backend alone runs
 * on one thread in Node.
 */
import { availableParallelism } from 'node:os';
import type { NamedBytes } from '../core/session-types';
import { TrainingReplicas, type FromReplica, type ReplicaFactory, type ReplicaPort, type ToReplica } from '../engine/train/replicas';
import { startThread } from './worker-thread';

/** Threads a step runs on by default: one per core, at most 8. */
export function defaultTrainThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

function spawn(backend: string): ReplicaPort {
  return startThread<ToReplica, FromReplica>('train-worker', { backend }, (m) => (m.type === 'step' ? [m.x.buffer as ArrayBuffer, m.teacher.buffer as ArrayBuffer] : []));
}

/** Helpers for a step over `threads` threads (the run's own included) on `backend`, for a model given by its files. */
export function nodeTrainingThreads(files: NamedBytes[], threads: number, backend: string): ReplicaFactory {
  return (model, maxBatch) => TrainingReplicas.start(threads - 1, () => spawn(backend), files, model, maxBatch);
}
