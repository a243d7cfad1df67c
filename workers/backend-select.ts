/**
 * Picks a TF.js backend that actually works here: WebGPU, then WebGL, then wasm (with the
 * studio's gradient kernels), then CPU, or the user's choice first; records why each faster one
 * was skipped so the UI can say it.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { BackendInfo } from '../src/core/session-types';
import { prepareWasm } from './wasm-setup';

/** The slice of the WebGPU API we read (the worker tsconfig carries no WebGPU typings). */
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** Backends in order of preference. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "google swiftshader (software)" style text from an adapter's info. */
function describeAdapter(adapter: GpuAdapterLike): { text: string; software: boolean } {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((p): p is string => !!p);
  const text = parts.join(' ').trim() || 'unknown adapter';
  const software = /swiftshader|llvmpipe|software|lavapipe/i.test(text) || !!info.isFallbackAdapter || !!adapter.isFallbackAdapter;
  return { text: software ? `${text} (software)` : text, software };
}

/** Probes the WebGPU adapter; returns its description, or null with the reason in `notes`. */
async function probeWebGpu(notes: string[]): Promise<string | null> {
  const gpu = (globalThis.navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) {
    notes.push('WebGPU: not available in this browser (navigator.gpu is missing; try a recent Chrome or Edge).');
    return null;
  }
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      notes.push('WebGPU: the browser offered no GPU adapter (GPU blocklisted or disabled).');
      return null;
    }
    const { text, software } = describeAdapter(adapter);
    if (software) notes.push('WebGPU runs on a software adapter (no GPU in use): expect it to be slow.');
    return text;
  } catch (e) {
    notes.push(`WebGPU: requesting an adapter failed: ${errorText(e)}`);
    return null;
  }
}

/** Runs one tiny op and reads it back: a backend that registers but cannot compute is skipped. */
async function smokeTest(): Promise<void> {
  const t = tf.tidy(() => tf.matMul(tf.ones([4, 4]), tf.ones([4, 4])).sum());
  try {
    const [v] = await t.data();
    if (v !== 64) throw new Error(`smoke test returned ${v}, expected 64`);
  } finally {
    t.dispose();
  }
}

/** Tries `prefer` first when it names a known backend, then the usual order. */
export async function selectBackend(prefer?: string | null): Promise<BackendInfo> {
  const notes: string[] = [];
  const adapter = await probeWebGpu(notes);
  const chosen = BACKENDS.find((b) => b === prefer);
  if (prefer && !chosen) notes.push(`Unknown backend "${prefer}" requested; use one of ${BACKENDS.join(', ')}.`);
  const order = chosen ? [chosen, ...BACKENDS.filter((b) => b !== chosen)] : [...BACKENDS];
  for (const name of order) {
    if (name === 'webgpu' && adapter === null) continue;
    try {
      if (name === 'wasm') prepareWasm();
      if (!(await tf.setBackend(name))) {
        notes.push(`${name}: failed to initialise in this browser.`);
        continue;
      }
      await tf.ready();
      await smokeTest();
      if (chosen === name) notes.push(`Using ${name}, as requested.`);
      else if (name !== 'webgpu') notes.push(`Using ${name}${name === 'cpu' ? ' (slow)' : ''}.`);
      return { name, adapter: name === 'webgpu' ? adapter : null, notes };
    } catch (e) {
      notes.push(`${name}: ${errorText(e)}`);
    }
  }
  throw new Error(`No TF.js backend works here: ${notes.join(' ')}`);
}
