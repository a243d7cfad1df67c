/**
 * Search workers over any host's threads (Node worker threads, browser Web Workers): the
 * messages between the run and a worker, the run's side (a pool that sends each genome to the
 * worker with the fewest in flight) and the worker's side (its own copy of the model, loaded
 * from the run's files, evaluating what it is sent one at a time, in order). Hosts supply only
 * the thread: see src/node/fitness-workers.ts and workers/search-workers.ts.
 */
import type { NamedBytes } from '../../core/session-types';
import type { Dataset } from '../data/types';
import { errorMessage } from '../errors';
import { loadAnyModel } from '../model/load';
import { evaluateFitness, workerFitnessContext, type FitnessSetup, type FitnessWorkerFactory, type FitnessWorkers } from './fitness';
import { workersThatFit } from './fitness-memory';

/** The first message to a worker: what it loads. */
export interface FitnessInit {
  type: 'init';
  files: NamedBytes[];
  ds: Dataset;
  setup: FitnessSetup;
}

/** To a worker: its start, or a genome's per-layer sparsities. */
export type ToFitnessWorker = FitnessInit | { type: 'evaluate'; id: number; sparsities: number[] };

/** From a worker: started, a fitness, or a failure (id -1: it could not start). */
export type FromFitnessWorker = { type: 'ready' } | { type: 'fitness'; id: number; fitness: number } | { type: 'failed'; id: number; message: string };

/** The run's end of one worker thread. */
export interface WorkerPort {
  post(message: ToFitnessWorker): void;
  /** Registers the handlers of its messages and of its stopping (an error, or an exit). */
  listen(onMessage: (m: FromFitnessWorker) => void, onStop: (why: string) => void): void;
  terminate(): Promise<unknown> | void;
}

interface Job {
  resolve: (f: number) => void;
  reject: (e: Error) => void;
}

class Slot {
  readonly jobs = new Map<number, Job>();
  failure: Error | null = null;

  constructor(readonly port: WorkerPort, readonly name: string) {}

  fail(e: Error): void {
    this.failure ??= e;
    for (const job of this.jobs.values()) job.reject(this.failure);
    this.jobs.clear();
  }
}

/** Sends the init message; resolves once the worker has loaded the model. */
function startSlot(port: WorkerPort, name: string, init: FitnessInit): Promise<Slot> {
  const slot = new Slot(port, name);
  return new Promise<Slot>((resolve, reject) => {
    port.listen(
      (m) => {
        if (m.type === 'ready') resolve(slot);
        else if (m.type === 'failed' && m.id === -1) reject(new Error(`${name}: ${m.message}`));
        else {
          const job = slot.jobs.get(m.id);
          slot.jobs.delete(m.id);
          if (m.type === 'fitness') job?.resolve(m.fitness);
          else job?.reject(new Error(`${name}: ${m.message}`));
        }
      },
      (why) => {
        const e = new Error(`${name} ${why}`);
        reject(e);
        slot.fail(e);
      },
    );
    port.post(init);
  });
}

/**
 * A factory of `count` search workers whose threads `spawn` starts (the i-th named "search
 * worker i+1" in messages); with `freeBytes`, no more than half of that memory holds (see
 * workersThatFit). Rejects, after stopping those that did start, if any cannot start.
 */
export function fitnessPool(count: number, spawn: (index: number) => WorkerPort, files: NamedBytes[], freeBytes?: () => number): FitnessWorkerFactory {
  return async (ds, setup, bytesPerWorker): Promise<FitnessWorkers> => {
    const fit = freeBytes ? workersThatFit(count, bytesPerWorker, freeBytes()) : { count, note: null };
    const init: FitnessInit = { type: 'init', files, ds, setup };
    const ports: WorkerPort[] = [];
    const started = await Promise.allSettled(
      Array.from({ length: fit.count }, (_, i) => {
        const port = spawn(i);
        ports.push(port);
        return startSlot(port, `search worker ${i + 1}`, init);
      }),
    );
    const slots = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const closeAll = async () => {
      for (const s of slots) s.fail(new Error('search workers closed'));
      await Promise.all(ports.map((p) => p.terminate()));
    };
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await closeAll();
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    let next = 0;
    return {
      size: slots.length,
      note: fit.note,
      evaluate(sparsities) {
        const slot = slots.filter((s) => !s.failure).sort((a, b) => a.jobs.size - b.jobs.size)[0];
        if (!slot) return Promise.reject(slots[0]?.failure ?? new Error('no search workers'));
        const id = next++;
        return new Promise<number>((resolve, reject) => {
          slot.jobs.set(id, { resolve, reject });
          slot.port.post({ type: 'evaluate', id, sparsities });
        });
      },
      close: closeAll,
    };
  };
}

/**
 * The worker's side: waits for the init message, starts the backend (`startBackend`, the run's
 * own), loads the model from the files and then evaluates each genome it is sent, in order.
 */
export function serveFitness(
  port: { post(m: FromFitnessWorker): void; onMessage(handler: (m: ToFitnessWorker) => void): void },
  startBackend: () => Promise<void>,
): void {
  let queue: Promise<unknown> | null = null;
  port.onMessage((m) => {
    if (m.type === 'init') {
      queue = (async () => {
        await startBackend();
        const { model } = await loadAnyModel(m.files);
        const ctx = await workerFitnessContext(model, m.ds, m.setup, new AbortController().signal);
        port.post({ type: 'ready' });
        return { ctx, setup: m.setup };
      })().catch((e: unknown) => {
        port.post({ type: 'failed', id: -1, message: errorMessage(e) });
        return null;
      });
      return;
    }
    const ready = queue;
    if (!ready) return port.post({ type: 'failed', id: m.id, message: 'evaluate before init' });
    queue = ready.then(async (state) => {
      const s = state as { ctx: Awaited<ReturnType<typeof workerFitnessContext>>; setup: FitnessSetup } | null;
      if (!s) return null;
      try {
        port.post({ type: 'fitness', id: m.id, fitness: await evaluateFitness(s.ctx, s.setup, m.sparsities) });
      } catch (e) {
        port.post({ type: 'failed', id: m.id, message: errorMessage(e) });
      }
      return s;
    });
  });
}
