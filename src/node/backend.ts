/** Backend set-up for Node (CLI, bench): cpu always works; wasm trains with the registered gradient kernels. */
import * as tf from '@tensorflow/tfjs';

/**
 * Switches to `name` ('cpu', 'wasm' or 'auto': wasm, which trains 45-95x faster than cpu here,
 * else cpu); returns a note on what happened.
 */
export async function setupNodeBackend(name: string): Promise<string> {
  if (name === 'auto') {
    const note = await setupNodeBackend('wasm');
    if (tf.getBackend() === 'wasm') return note;
    return `${await setupNodeBackend('cpu')} (${note})`;
  }
  if (name === 'wasm') {
    try {
      // Node's wasm build finds its .wasm files beside itself; SIMD on, one thread.
      const { registerWasmTrainingKernels } = await import('../engine/wasm-grad/index');
      registerWasmTrainingKernels();
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return 'wasm backend with the studio\'s training kernels';
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
