/**
 * Search workers for Node: worker threads, each with its own tfjs backend (the wasm backend runs
 * one thread in Node) and its own copy of the model, so that on a machine with several cores the
 * search's fitness evaluations run side by side (pipeline/fitness.ts). A genome's fitness is the
 * same in a worker as on the run's thread (fitness-workers.test.ts), so the search's result does
 * not depend on how many there are.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { NamedBytes } from '../core/session-types';
import type { FitnessWorkerFactory, FitnessWorkers } from '../engine/pipeline/fitness';

/** To a worker: a genome's per-layer sparsities. */
export interface ToWorker {
  id: number;
  sparsities: number[];
}

/** From a worker: started, a fitness, or a failure (id -1: the worker could not start). */
export type FromWorker = { type: 'ready' } | { type: 'fitness'; id: number; fitness: number } | { type: 'failed'; id: number; message: string };

/** Workers by default: one per core beyond the run's own thread, at most 7. */
export function defaultSearchWorkers(): number {
  return Math.max(0, Math.min(7, availableParallelism() - 1));
}

interface Job {
  resolve: (f: number) => void;
  reject: (e: Error) => void;
}

class Slot {
  readonly jobs = new Map<number, Job>();
  failure: Error | null = null;

  constructor(readonly worker: Worker, readonly index: number) {}

  fail(e: Error): void {
    this.failure ??= e;
    for (const job of this.jobs.values()) job.reject(this.failure);
    this.jobs.clear();
  }
}

/** Starts one worker; resolves once it has loaded the model. */
function startSlot(index: number, workerData: unknown): Promise<Slot> {
  const worker = new Worker(new URL('./fitness-worker.mjs', import.meta.url), { workerData });
  const slot = new Slot(worker, index);
  return new Promise<Slot>((resolve, reject) => {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') resolve(slot);
      else if (m.type === 'failed' && m.id === -1) reject(new Error(`search worker ${index + 1}: ${m.message}`));
      else {
        const job = slot.jobs.get(m.id);
        slot.jobs.delete(m.id);
        if (m.type === 'fitness') job?.resolve(m.fitness);
        else job?.reject(new Error(`search worker ${index + 1}: ${m.message}`));
      }
    });
    const stopped = (e: Error) => {
      reject(e);
      slot.fail(e);
    };
    worker.on('error', (e) => stopped(new Error(`search worker ${index + 1} failed: ${e.message}`)));
    worker.on('exit', (code) => stopped(new Error(`search worker ${index + 1} exited (code ${code})`)));
  });
}

/**
 * A factory of `count` search workers for a model given by its files, on `backend` (the run's
 * own). Each evaluation goes to the worker with the fewest in flight.
 */
export function nodeFitnessWorkers(files: NamedBytes[], count: number, backend: string): FitnessWorkerFactory {
  return async (ds, setup): Promise<FitnessWorkers> => {
    const data = { files, ds, setup, backend };
    const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => startSlot(i, data)));
    const slots = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const closeAll = async () => {
      for (const s of slots) s.fail(new Error('search workers closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    };
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await closeAll();
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    let next = 0;
    return {
      size: slots.length,
      evaluate(sparsities) {
        const slot = slots.filter((s) => !s.failure).sort((a, b) => a.jobs.size - b.jobs.size || a.index - b.index)[0];
        if (!slot) return Promise.reject(slots[0]?.failure ?? new Error('no search workers'));
        const id = next++;
        return new Promise<number>((resolve, reject) => {
          slot.jobs.set(id, { resolve, reject });
          slot.worker.postMessage({ id, sparsities } satisfies ToWorker);
        });
      },
      close: closeAll,
    };
  };
}
