/** A search worker thread (see fitness-workers.ts): the run's backend, then engine/pipeline/fitness-pool.ts's worker side. */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { serveFitness, type ToFitnessWorker } from '../engine/pipeline/fitness-pool';
import { setupNodeBackend } from './backend';

const port = parentPort!;
const { backend } = workerData as { backend: string };

serveFitness(
  { post: (m) => port.postMessage(m), onMessage: (handler) => port.on('message', (m: ToFitnessWorker) => handler(m)) },
  async () => {
    const note = await setupNodeBackend(backend);
    // Another backend would compute other fitness values: refuse rather than differ.
    if (tf.getBackend() !== backend) throw new Error(`the ${backend} backend did not start (${note})`);
  },
);
