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

const logicalCores = () => Math.max(1, navigator.hardwareConcurrency || 1);

/**
 * Threads wasm trains with unless told otherwise: half the logical cores, at most 4, as TF.js
 * itself picks. The other half stays with the page and the browser: on a 2-core machine one
 * helper thread made the studio's steps twice as slow (charts, page and worker then fight over
 * the cores), though a bare benchmark gains from it.
 */
export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(4, Math.floor(logicalCores() / 2)));
}

let requestedThreads: number | null = null;

/** Asks for `n` wasm threads (the page's ?threads=) instead of the default; before the backend starts. */
export function requestWasmThreads(n: number | null): void {
  requestedThreads = n !== null && Number.isFinite(n) && n >= 1 ? n : null;
}

/** True where wasm threads can run: shared memory needs cross-origin isolation. */
export function wasmThreadsPossible(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/**
 * Idempotent; call before the first setBackend('wasm'). `threads` (1 to 8; default the
 * requested count, else defaultWasmThreads()) is how many threads XNNPACK runs on; 1, or a page that is not
 * cross-origin isolated, loads the single-threaded SIMD build.
 */
export function prepareWasm(threads: number = requestedThreads ?? defaultWasmThreads()): void {
  if (prepared) return;
  prepared = true;
  const n = wasmThreadsPossible() ? Math.max(1, Math.min(MAX_THREADS, Math.round(threads))) : 1;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', n > 1);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plain,
    'tfjs-backend-wasm-simd.wasm': simd,
    'tfjs-backend-wasm-threaded-simd.wasm': threaded,
  });
  if (n > 1) {
    // TF.js caps the pool at half of navigator.hardwareConcurrency, read in this worker when the
    // module starts; a larger count asked for is honoured by reporting enough cores to that cap.
    if (n > Math.floor(logicalCores() / 2)) Object.defineProperty(navigator, 'hardwareConcurrency', { value: n * 2, configurable: true });
    setThreadsCount(n);
  }
  registerWasmTrainingKernels();
}

/** "SIMD, 2 threads" or "SIMD, 1 thread" once the wasm backend has started, else null. */
export function wasmThreadsText(): string | null {
  if (!prepared || tf.getBackend() !== 'wasm') return null;
  const n = getThreadsCount();
  return n > 1 ? `SIMD, ${n} threads` : 'SIMD, 1 thread';
}
