/**
 * Prepares TF.js's wasm backend in a worker: its binaries served by Vite, the SIMD build, with
 * threads when the page is cross-origin isolated (SharedArrayBuffer), and the studio's gradient
 * kernels so convolutional models can train on it. The threaded loader starts its helper
 * threads from blob: scripts it builds itself; the preview server's CSP allows those for the
 * compute worker only (vite.config.ts), never for the page.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerWasmTrainingKernels } from '../src/engine/wasm-grad/index';

let prepared = false;

/** The loader starts this many helper threads, so no more can run. */
const MAX_THREADS = 8;

/**
 * TF.js caps wasm's thread pool at half of navigator.hardwareConcurrency (it assumes two
 * hardware threads per core), which on a 2-core machine means no helper thread at all, and it
 * reads that figure in this worker when the module starts. Training wants every core, so this
 * worker (it only computes) reports twice its count to that cap and asks for all of them.
 */
function useAllCores(): void {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: cores * 2, configurable: true });
  setThreadsCount(Math.min(MAX_THREADS, cores));
}

/** True where wasm threads can run: shared memory needs cross-origin isolation. */
export function wasmThreadsPossible(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/**
 * Idempotent; call before the first setBackend('wasm'). `threads: false` keeps the
 * single-threaded build even where threads are possible (for side-by-side timing).
 */
export function prepareWasm(threads = true): void {
  if (prepared) return;
  prepared = true;
  const useThreads = threads && wasmThreadsPossible();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', useThreads);
  if (useThreads) useAllCores();
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plain,
    'tfjs-backend-wasm-simd.wasm': simd,
    'tfjs-backend-wasm-threaded-simd.wasm': threaded,
  });
  registerWasmTrainingKernels();
}

/** "SIMD, 2 threads" or "SIMD, 1 thread" once the wasm backend has started, else null. */
export function wasmThreadsText(): string | null {
  if (!prepared || tf.getBackend() !== 'wasm') return null;
  const n = getThreadsCount();
  return n > 1 ? `SIMD, ${n} threads` : 'SIMD, 1 thread';
}
