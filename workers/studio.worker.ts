/**
 * The studio's worker: owns TF.js, the GPU and one StudioSession. The UI talks to it only
 * through `Api` (comlink), so long runs never block the page.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import type { RunCheckpoint } from '../src/core/checkpoint';
import type { ProgressEvent } from '../src/core/events';
import type { PruneOptions } from '../src/core/options';
import { DEVICE_LOST_ERROR, type BackendInfo, type DatasetSummary, type ModelSummary, type NamedBytes, type RunArtifacts, type WorkerMemory } from '../src/core/session-types';
import { StudioSession } from '../src/engine/session';
import type { KernelTiming } from '../src/engine/gpu-kernel-bench';
import { webgpuKernelTimings } from '../src/engine/webgpu/kernel-bench';
import { webgpuKernelSelfTest } from '../src/engine/webgpu/kernel-self-test';
import { webglKernelTimings } from '../src/engine/webgl/kernel-bench';
import { webglKernelSelfTest } from '../src/engine/webgl/kernel-self-test';
import { selectBackend } from './backend-select';
import { requestWasmThreads } from './wasm-setup';
import { decodeBrowser } from './decode-browser';
import { EventBatcher } from './event-batcher';
import { releaseGpuPool } from './gpu-pool';

/** Least time between two image-loading progress messages. */
const PROGRESS_MS = 200;

let backendInfo: Promise<BackendInfo> | null = null;
/** Backend the page asked for (e.g. ?backend=wasm), tried first. */
let preferred: string | null = null;
/** Time every backend even when this browser has fresh probe figures. */
let remeasure = false;
let session: StudioSession | null = null;
let controller: AbortController | null = null;
/** Set when the GPU device was lost: the backend cannot compute any more in this worker. */
let deviceLost: string | null = null;
/** Settles when the WebGPU device is lost (null on other backends). */
let lost: Promise<unknown> | null = null;
/** The page's handler of faults it must hear about even when no call is pending. */
let onFault: ((message: string) => void) | null = null;
/** Pooled GPU bytes given back when the last run ended. */
let gpuBytesReleased = 0;


/** Watches the WebGPU device: on loss, the running pipeline stops and reports it. */
function watchDevice(info: BackendInfo): void {
  if (info.name !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
  lost = device?.lost ?? null;
  void device?.lost?.then((why) => {
    deviceLost = `The GPU device was lost (${why.reason || 'unknown reason'}${why.message ? `: ${why.message}` : ''}).`;
    controller?.abort();
    // A read pending on the lost device may never settle, so the page is told directly too.
    void Promise.resolve(onFault?.(deviceLost)).catch(() => undefined);
  });
}

/** Where a run starts from and how often it saves (the checkpoint callback is its own argument: comlink proxies only top-level arguments). */
export interface RunExtras {
  /** A checkpoint of an earlier run of the loaded inputs to continue from. */
  resume?: RunCheckpoint;
  /** Least time between two training checkpoints, ms. */
  checkpointMs?: number;
}

/** Backend selection runs once; every call waits for it. */
function backend(): Promise<BackendInfo> {
  return (backendInfo ??= selectBackend(preferred, { remeasure }).then((info) => {
    watchDevice(info);
    return info;
  }));
}

async function ready(): Promise<StudioSession> {
  const info = await backend();
  session ??= new StudioSession({ decode: decodeBrowser, backend: info.name });
  return session;
}

const api = {
  /**
   * Picks the backend (`prefer` when it works, else the fastest in a short training probe, or the
   * one this browser's last probe picked unless `measureAgain`) and says which and why.
   * `wasmThreads` overrides how many threads wasm trains with (the page's ?threads=).
   */
  async init(prefer?: string | null, measureAgain = false, wasmThreads: number | null = null): Promise<BackendInfo> {
    preferred ??= prefer ?? null;
    if (!backendInfo) requestWasmThreads(wasmThreads);
    remeasure ||= measureAgain;
    await ready();
    return backend();
  },

  /** model.json + weight shards; the current model stays when this one fails. */
  async loadModel(files: NamedBytes[]): Promise<ModelSummary> {
    return (await ready()).loadModel(files);
  },

  /**
   * Calibration images (class sub-folders give labels); `classList` maps folder names.
   * `onProgress` hears how many are decoded, a few times a second.
   */
  async loadImages(
    files: NamedBytes[],
    classList?: string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<DatasetSummary> {
    let last = 0;
    const progress = (done: number, total: number) => {
      const now = Date.now();
      if (now - last < PROGRESS_MS && done < total) return;
      last = now;
      void Promise.resolve(onProgress?.(done, total)).catch(() => undefined);
    };
    // Thumbnails are small and may share buffers with the session: copied, not transferred.
    return (await ready()).loadImages(files, classList, onProgress ? progress : undefined);
  },

  /**
   * Runs the whole pipeline, sending progress events to `onEvents` in batches and checkpoints
   * to `onCheckpoint` (awaited: the page stores them before training moves on).
   */
  async run(
    options: PruneOptions,
    onEvents: (events: ProgressEvent[]) => void,
    onCheckpoint?: (c: RunCheckpoint) => Promise<void>,
    extras: RunExtras = {},
  ): Promise<RunArtifacts> {
    const s = await ready();
    if (deviceLost) throw Object.assign(new Error(deviceLost), { name: DEVICE_LOST_ERROR });
    if (controller) throw new Error('A run is already in progress.');
    const own = new AbortController();
    controller = own;
    const batcher = new EventBatcher(onEvents);
    try {
      // The files are the caller's from here on, so their buffers move instead of being copied.
      const artifacts = await s.run(options, (e) => batcher.push(e), own.signal, undefined, {
        ...(extras.resume ? { resume: extras.resume } : {}),
        ...(extras.checkpointMs !== undefined ? { checkpointMs: extras.checkpointMs } : {}),
        // Events first, so the page's saved charts reach the checkpoint's step.
        ...(onCheckpoint ? { onCheckpoint: async (c: RunCheckpoint) => (await batcher.flush(), await onCheckpoint(c)) } : {}),
      });
      await batcher.flush();
      const buffers = [artifacts.weights, artifacts.masks, artifacts.nmPacked, artifacts.onnx ?? null].filter((b): b is ArrayBuffer => b !== null);
      return Comlink.transfer(artifacts, buffers);
    } catch (e) {
      await batcher.flush();
      // Reads on a lost device reject with an AbortError of their own, often before `lost` settles.
      if (!deviceLost && lost && !own.signal.aborted && e instanceof Error && e.name === 'AbortError') {
        await Promise.race([lost, new Promise((resolve) => setTimeout(resolve, 3000))]);
        if (!deviceLost) throw new Error(`The GPU stopped a computation (${e.message}).`);
      }
      if (deviceLost) throw Object.assign(new Error(deviceLost), { name: DEVICE_LOST_ERROR });
      throw e;
    } finally {
      if (controller === own) controller = null;
      // The run's tensors are disposed by now; the GPU pool they leave behind goes too.
      gpuBytesReleased = deviceLost ? 0 : releaseGpuPool(tf.backend());
    }
  },

  /** Asks the running pipeline to stop; `run` then rejects with an AbortError. */
  async cancel(): Promise<void> {
    controller?.abort();
  },

  /** What TF.js holds now (between runs: only the loaded model), and the GPU pool the last run gave back. */
  async memory(): Promise<WorkerMemory> {
    await backend();
    const m = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number; numBytesInGPUAllocated?: number };
    const gpu = m.numBytesAllocatedInGPU ?? m.numBytesInGPUAllocated;
    return { backend: tf.getBackend(), numTensors: m.numTensors, numBytes: m.numBytes, gpuBytesAllocated: gpu ?? null, gpuBytesReleased };
  },

  /** `handler` hears faults that end this worker's usefulness (a lost GPU device). */
  async watchFaults(handler: (message: string) => void): Promise<void> {
    onFault = handler;
    if (deviceLost) handler(deviceLost);
  },

  /**
   * Fault injection for the page's fault tests (`?debug=faults`): an uncaught error in the
   * worker, or the loss of the WebGPU device.
   */
  async injectFault(kind: 'crash' | 'lose-device'): Promise<void> {
    if (kind === 'crash') {
      setTimeout(() => {
        throw new Error('injected crash');
      });
      return;
    }
    const device = (tf.backend() as unknown as { device?: { destroy?: () => void } }).device;
    if (!device?.destroy) throw new Error(`The ${tf.getBackend()} backend has no GPU device to lose.`);
    device.destroy();
  },

  /**
   * For the kernel test (`?debug=faults`): the studio's WebGPU kernels checked against the host
   * reference on this backend (null: all match) and, when they match, timed against the generic ops.
   */
  async checkWebGpuKernels(): Promise<{ problem: string | null; timings: KernelTiming[] }> {
    await backend();
    const problem = await webgpuKernelSelfTest();
    return { problem, timings: problem === null ? await webgpuKernelTimings() : [] };
  },

  /** The same for the studio's WebGL kernels (`?backend=webgl&debug=faults`); timings count shader runs. */
  async checkWebGlKernels(): Promise<{ problem: string | null; timings: KernelTiming[] }> {
    await backend();
    const problem = await webglKernelSelfTest();
    return { problem, timings: problem === null ? await webglKernelTimings() : [] };
  },
};

export type Api = typeof api;

Comlink.expose(api);
