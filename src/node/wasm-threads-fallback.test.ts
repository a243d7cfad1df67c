/**
 * A threaded start of the wasm backend that fails (here: no SharedArrayBuffer, as in a runtime
 * without shared memory) leaves wasm on one thread, saying why, rather than falling back to cpu.
 * A file of its own: the wasm backend starts once per process (vitest's forks pool).
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { setupNodeBackend } from './backend';

describe('wasm threads that cannot start', () => {
  it('leave the wasm backend on one thread and say so', async () => {
    const shared = globalThis.SharedArrayBuffer;
    let note: string;
    try {
      (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer = undefined;
      note = await setupNodeBackend('auto', 2);
    } finally {
      globalThis.SharedArrayBuffer = shared;
    }
    expect(tf.getBackend()).toBe('wasm');
    expect(getThreadsCount()).toBe(1);
    expect(note).toMatch(/on one thread \(the threaded build (did not start|failed: .+)\)/);
    const y = tf.tidy(() => tf.conv2d(tf.ones([1, 4, 4, 2]) as tf.Tensor4D, tf.ones([3, 3, 2, 8]) as tf.Tensor4D, 1, 'same'));
    expect(Array.from(await y.data()).slice(0, 8)).toEqual(Array(8).fill(8));
    y.dispose();
  });
});
