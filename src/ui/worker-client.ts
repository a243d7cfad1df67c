/**
 * The studio worker's owners on the page, wired together once: its life (worker/worker-life.ts),
 * the inputs it is sent again after a restart (worker/loaded-inputs.ts) and the live run
 * (worker/run-owner.ts).
 */
import { LoadedInputs } from './worker/loaded-inputs';
import { RunOwner } from './worker/run-owner';
import { WorkerLife } from './worker/worker-life';

/** The page's side of the studio worker. */
export interface WorkerClient {
  /** Start, restart, backend switch, cancel grace. */
  life: WorkerLife;
  /** The loaded model and images. */
  inputs: LoadedInputs;
  /** The live run and its saved record. */
  runs: RunOwner;
}

let instance: WorkerClient | null = null;

/** The page's worker client, started on first use. */
export function workerClient(): WorkerClient {
  if (instance) return instance;
  const life = new WorkerLife(
    () => new Worker(new URL('../../workers/studio.worker.ts', import.meta.url), { type: 'module', name: 'studio' }),
  );
  const inputs = new LoadedInputs(life);
  const runs = new RunOwner(life, inputs);
  instance = { life, inputs, runs };
  life.start({
    interrupt: (reason, deviceLost) => runs.interrupt(reason, deviceLost),
    runActive: () => runs.active,
    resend: () => inputs.resend(),
  });
  return instance;
}
