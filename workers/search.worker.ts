/**
 * A search worker of the studio's compute worker (search-workers.ts): single-threaded wasm with
 * the studio's kernels, then the worker side of src/engine/pipeline/fitness-pool.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { serveFitness, type ToFitnessWorker } from '../src/engine/pipeline/fitness-pool';
import { prepareWasm } from './wasm-setup';

serveFitness(
  {
    post: (m) => self.postMessage(m),
    onMessage: (handler) => self.addEventListener('message', (e: MessageEvent<ToFitnessWorker>) => handler(e.data)),
  },
  async () => {
    prepareWasm(1);
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start in a search worker');
    await tf.ready();
  },
);
