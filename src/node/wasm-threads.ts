/**
 * The tfjs wasm backend's multithreaded build in Node (XNNPACK's thread pool on Node worker threads).
 * TF.js turns it off in Node (WASM_HAS_MULTITHREAD_SUPPORT is false there) because its pthreads start
 * from Blob URLs; wasm-pthread-worker.cjs starts them from the package's own files instead. TF.js also
 * caps the pool at half the logical cores it reads when the backend starts (one thread on 2 cores),
 * so the core count it reads is raised to honour the count asked for while the backend starts.
 */
import os from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { REPO_ROOT } from './repo-root';

/** The most threads XNNPACK is asked for (TF.js's own pool holds 8 workers). */
export const MAX_WASM_THREADS = 8;

/** One thread per core, at most MAX_WASM_THREADS: the CLI's default. */
export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(MAX_WASM_THREADS, os.availableParallelism()));
}

const PTHREAD_WORKER = join(REPO_ROOT, 'src/node/wasm-pthread-worker.cjs');

interface PThreadPool {
  unusedWorkers: Worker[];
  runningWorkers: Worker[];
  allocateUnusedWorker: () => void;
}

/**
 * Starts the wasm backend on `threads` threads (the calling one included); resolves to the count it
 * runs on, or rejects (leaving the next start of the backend to the one-thread build). Call before
 * the wasm backend first starts in this process.
 */
export async function startThreadedWasm(threads: number): Promise<number> {
  const n = Math.max(2, Math.min(MAX_WASM_THREADS, Math.round(threads)));
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(n);
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  // The worker's script is the only JavaScript Blob the backend makes a URL of.
  URL.createObjectURL = (blob: Blob) => (blob.type === 'application/javascript' ? PTHREAD_WORKER : createObjectURL(blob));
  os.cpus = () => {
    const all = cpus();
    return Array.from({ length: Math.max(all.length, 2 * n) }, (_, i) => all[i % all.length]!);
  };
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('did not start');
    await tf.ready();
  } catch (e) {
    // TF.js starts a backend again after a failed start: the next start is its one-thread build.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setThreadsCount(1);
    throw e;
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
  // The package starts 8 workers up front; XNNPACK holds n - 1 of them. The rest go (each is a
  // JavaScript engine of its own, about 8 MB), and any later one starts from this file.
  const pool = (tf.backend() as unknown as { wasm: { PThread?: PThreadPool } }).wasm.PThread;
  if (pool) {
    for (const w of pool.unusedWorkers.splice(0)) void w.terminate();
    // XNNPACK's threads wait for work for as long as the process lives; they do not keep it alive.
    for (const w of pool.runningWorkers) w.unref();
    pool.allocateUnusedWorker = () => {
      pool.unusedWorkers.push(new Worker(PTHREAD_WORKER));
    };
  }
  return getThreadsCount();
}
