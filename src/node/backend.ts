/** Backend set-up for Node (CLI, bench): cpu always works; wasm trains with the registered gradient kernels. */
import * as tf from '@tensorflow/tfjs';
import { errorMessage } from '../engine/errors';

/**
 * Switches to `name` ('cpu', 'wasm' or 'auto': wasm, which trains 45-95x faster than cpu here,
 * else cpu); returns a note on what happened. `threads` > 1 runs wasm's XNNPACK kernels on that many
 * threads (wasm-threads.ts; the studio's own kernels stay on the calling one); once per process.
 */
export async function setupNodeBackend(name: string, threads = 1): Promise<string> {
  if (name === 'auto') {
    const note = await setupNodeBackend('wasm', threads);
    if (tf.getBackend() === 'wasm') return note;
    return `${await setupNodeBackend('cpu')} (${note})`;
  }
  if (name === 'wasm') {
    try {
      // Node's wasm build finds its .wasm files beside itself; SIMD on.
      const { registerWasmTrainingKernels } = await import('../engine/wasm-grad/index');
      registerWasmTrainingKernels();
      let oneThread = '';
      if (threads > 1) {
        const { startThreadedWasm } = await import('./wasm-threads');
        try {
          const n = await startThreadedWasm(threads);
          return `wasm backend with the studio's training kernels, SIMD, ${n} thread${n > 1 ? 's' : ''}`;
        } catch (e) {
          oneThread = ` on one thread (the threaded build failed: ${errorMessage(e)})`;
        }
      }
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return `wasm backend with the studio's training kernels${oneThread}`;
      }
      return 'the wasm backend failed to start';
    } catch (e) {
      return `the wasm backend is unavailable: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  await tf.setBackend(name);
  await tf.ready();
  return `${name} backend`;
}
