/** A training thread (see train-workers.ts): the run's backend, then engine/train/replicas.ts's helper side. */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { serveReplica, type ToReplica } from '../engine/train/replicas';
import { setupNodeBackend } from './backend';

const port = parentPort!;
const { backend } = workerData as { backend: string };

serveReplica(
  { post: (m) => port.postMessage(m), onMessage: (handler) => port.on('message', (m: ToReplica) => handler(m)) },
  async () => {
    const note = await setupNodeBackend(backend);
    if (tf.getBackend() !== backend) throw new Error(`the ${backend} backend did not start (${note})`);
  },
  // Tests: PTS_STUDIO_TRAIN_THREAD_FAULT=n fails each training thread at its n-th step.
  Number(process.env['PTS_STUDIO_TRAIN_THREAD_FAULT'] ?? '') || undefined,
);
