/**
 * A search worker thread (see fitness-workers.ts): its own backend and copy of the run's model,
 * loaded from the run's files; evaluates the genomes it is sent, one at a time, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { NamedBytes } from '../core/session-types';
import type { Dataset } from '../engine/data/types';
import { errorMessage } from '../engine/errors';
import { loadAnyModel } from '../engine/model/load';
import { evaluateFitness, workerFitnessContext, type FitnessSetup } from '../engine/pipeline/fitness';
import { setupNodeBackend } from './backend';
import type { ToWorker, FromWorker } from './fitness-workers';

interface Init {
  files: NamedBytes[];
  ds: Dataset;
  setup: FitnessSetup;
  backend: string;
}

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

async function main(): Promise<void> {
  const { files, ds, setup, backend } = workerData as Init;
  await setupNodeBackend(backend);
  const { model } = await loadAnyModel(files);
  const ctx = await workerFitnessContext(model, ds, setup, new AbortController().signal);
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (m: ToWorker) => {
    queue = queue.then(async () => {
      try {
        post({ type: 'fitness', id: m.id, fitness: await evaluateFitness(ctx, setup, m.sparsities) });
      } catch (e) {
        post({ type: 'failed', id: m.id, message: errorMessage(e) });
      }
    });
  });
  post({ type: 'ready' });
}

main().catch((e: unknown) => post({ type: 'failed', id: -1, message: errorMessage(e) }));
