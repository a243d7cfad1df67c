/**
 * Prepares TF.js's wasm backend in the worker: its binaries served by Vite, the single-threaded
 * SIMD build (the threaded loader needs blob: scripts, which the page's CSP forbids), and the
 * studio's gradient kernels so convolutional models can train on it.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerWasmTrainingKernels } from '../src/engine/wasm-grad/index';

let prepared = false;

/** Idempotent; call before the first setBackend('wasm'). */
export function prepareWasm(): void {
  if (prepared) return;
  prepared = true;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plain,
    'tfjs-backend-wasm-simd.wasm': simd,
    'tfjs-backend-wasm-threaded-simd.wasm': threaded,
  });
  registerWasmTrainingKernels();
}
