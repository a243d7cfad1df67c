/** The thread's side of a src/node worker thread (see worker-thread.ts): its channel to the run and the run's backend. */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { setupNodeBackend } from './backend';

/** Messages to and from the run's thread. */
export function runChannel<To, From>(): { post(m: From): void; onMessage(handler: (m: To) => void): void } {
  const port = parentPort!;
  return { post: (m) => port.postMessage(m), onMessage: (handler) => port.on('message', (m: To) => handler(m)) };
}

/** The backend the run named in workerData; another backend would compute other values, so it refuses rather than differ. */
export async function startRunBackend(): Promise<void> {
  const { backend } = workerData as { backend: string };
  const note = await setupNodeBackend(backend);
  if (tf.getBackend() !== backend) throw new Error(`the ${backend} backend did not start (${note})`);
}
