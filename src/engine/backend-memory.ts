/**
 * What the active backend holds beyond TF.js's tensor count: the wasm heap (a high-water mark,
 * since WebAssembly memory only grows) and WebGPU's pool of GPU buffers. Null where the backend
 * has no such thing.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendMemory } from '../core/events';

export function backendMemory(): BackendMemory {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  const mem = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number };
  return {
    heapBytes: backend.wasm?.HEAPU8?.buffer.byteLength ?? null,
    gpuBytes: typeof mem.numBytesAllocatedInGPU === 'number' ? mem.numBytesAllocatedInGPU : null,
  };
}
