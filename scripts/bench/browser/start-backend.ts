/**
 * Starts exactly the backend the bench asks for. The studio's own selection times and falls back
 * between backends; the bench wants one backend or a reason it cannot run, so it only shares the
 * wasm preparation (binaries served by Vite, the studio's gradient kernels).
 */
import * as tf from '@tensorflow/tfjs';
import { simdOnHeap } from '../../../src/engine/wasm-grad/simd/simd-kernels';
import '@tensorflow/tfjs-backend-webgpu';
import { prepareWasm, wasmThreadsText } from '../../../workers/wasm-setup';

/** The WebGPU adapter's fields the bench reports (the page's lib carries no WebGPU typings). */
interface GpuLike {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; device?: string; description?: string } } | null>;
}

/** "google swiftshader ..." for WebGPU, null elsewhere or without an adapter. */
async function adapterText(): Promise<string | null> {
  const gpu = (globalThis.navigator as unknown as { gpu?: GpuLike }).gpu;
  const info = (await gpu?.requestAdapter())?.info;
  if (!info) return null;
  return [info.vendor, info.architecture, info.device, info.description].filter((p) => !!p).join(' ') || 'unknown adapter';
}

/**
 * Switches to `bench` ('wasm' as the studio runs it, threads for half the cores; 'wasm-mt' with
 * one thread per core); resolves to a description of the device (the WebGPU adapter, wasm's
 * threads) or null, rejects with why it cannot run.
 */
export async function startBackend(bench: string): Promise<string | null> {
  const name = bench === 'wasm-mt' ? 'wasm' : bench;
  if (name === 'webgpu' && !(globalThis.navigator as unknown as { gpu?: unknown }).gpu) throw new Error('navigator.gpu is missing');
  if (bench === 'wasm') prepareWasm();
  if (bench === 'wasm-mt') prepareWasm(navigator.hardwareConcurrency || 1);
  if (!(await tf.setBackend(name))) throw new Error(`${name} failed to initialise`);
  await tf.ready();
  // A backend that registers but cannot compute fails here rather than mid-measurement.
  const probe = tf.tidy(() => tf.matMul(tf.ones([4, 4]), tf.ones([4, 4])).sum());
  const [v] = await probe.data();
  probe.dispose();
  if (v !== 64) throw new Error(`a 4x4 matMul gave ${v}, expected 64`);
  if (name === 'wasm') return `wasm ${wasmThreadsText() ?? ''}, SIMD kernels ${simdOnHeap(tf.backend()) ? 'on the heap' : 'through copies'}`;
  return name === 'webgpu' ? adapterText() : null;
}
