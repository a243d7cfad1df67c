/** Backend set-up for Node (CLI, bench): cpu always works; wasm trains with the registered gradient kernels. */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const require = createRequire(import.meta.url);

/** Switches to `name` ('cpu' or 'wasm'); returns a note on what happened. */
export async function setupNodeBackend(name: string): Promise<string> {
  if (name === 'wasm') {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const { registerWasmTrainingKernels } = await import('../engine/wasm-grad/index');
      const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(`${dist}/`);
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
