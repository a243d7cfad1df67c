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
import { selectBackend } from './backend-select';
import { loadCheckpoint, saveCheckpoint } from './checkpoint-store';
import { debugApi, holdsCheckpointAck } from './debug-api';
import { requestWasmThreads } from './wasm-setup';
import { browserSearchWorkers, defaultBrowserSearchWorkers } from './search-workers';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
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

/** Where a run saves its checkpoints and starts from (the checkpoint callback is its own argument: comlink proxies only top-level arguments). */
export interface RunExtras {
  /** The saved run (its record already stored by the page) whose checkpoints this run writes; none: nothing is saved. */
  saveAs?: string;
  /** Continue from the checkpoint saved under `saveAs` (an earlier run of the loaded inputs). */
  resume?: boolean;
  /** Least time between two training checkpoints, ms. */
  checkpointMs?: number;
  /** Search workers beside this one (the page's ?searchWorkers=; default: defaultBrowserSearchWorkers). Runs on wasm only. */
  searchWorkers?: number;
}

/**
 * What the page hears of each checkpoint: `saving` first (the page stores its chart history, which then reaches the step,
 * before the checkpoint exists: a reload in between never finds a checkpoint ahead of the saved charts), then stored at
 * `step`, or the storage refused it (nothing more is saved for the run).
 */
export type CheckpointSaved = { saving: number } | { step: number } | { error: string };

/** The run's search workers: on wasm only, `asked` of them or the default for the cores left. */
function searchWorkersFor(asked: number | undefined): { searchWorkers?: ReturnType<typeof browserSearchWorkers> } {
  if (tf.getBackend() !== 'wasm') return {};
  const n = asked ?? defaultBrowserSearchWorkers(getThreadsCount());
  return n > 0 ? { searchWorkers: browserSearchWorkers(n) } : {};
}

/** Image-loading progress, a few times a second at most (the page is told across threads). */
function throttled(onProgress?: (done: number, total: number) => void): ((done: number, total: number) => void) | undefined {
  if (!onProgress) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < PROGRESS_MS && done < total) return;
    last = now;
    void Promise.resolve(onProgress(done, total)).catch(() => undefined);
  };
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
   * `onProgress` hears how many are decoded, a few times a second; `unlabelled` ignores folder names.
   */
  async loadImages(
    files: NamedBytes[],
    classList?: string[],
    onProgress?: (done: number, total: number) => void,
    unlabelled = false,
  ): Promise<DatasetSummary> {
    // Thumbnails are small and may share buffers with the session: copied, not transferred.
    return (await ready()).loadImages(files, classList, throttled(onProgress), unlabelled);
  },

  /** Test images: scored once at the end of each run, never used for a choice. */
  async loadTestImages(
    files: NamedBytes[],
    classList?: string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<DatasetSummary> {
    return (await ready()).loadTestImages(files, classList, throttled(onProgress));
  },

  /** Forgets the test images. */
  async clearTestImages(): Promise<void> {
    (await ready()).clearTestImages();
  },

  /**
   * Runs the whole pipeline, sending progress events to `onEvents` in batches. With
   * `extras.saveAs`, each checkpoint is stored in IndexedDB under that run: `onCheckpoint` hears
   * first that it is being saved (awaited: the page saves its charts up to its step), then that it
   * is stored.
   */
  async run(
    options: PruneOptions,
    onEvents: (events: ProgressEvent[]) => void,
    onCheckpoint?: (saved: CheckpointSaved) => Promise<void>,
    extras: RunExtras = {},
  ): Promise<RunArtifacts> {
    const s = await ready();
    if (deviceLost) throw Object.assign(new Error(deviceLost), { name: DEVICE_LOST_ERROR });
    if (controller) throw new Error('A run is already in progress.');
    const { saveAs } = extras;
    const resume = saveAs && extras.resume ? await loadCheckpoint(saveAs) : undefined;
    if (extras.resume && !resume) throw new Error('The checkpoint of this run is no longer saved; start the run again.');
    const own = new AbortController();
    controller = own;
    const batcher = new EventBatcher(onEvents);
    let saving = saveAs !== undefined;
    const store = async (c: RunCheckpoint) => {
      if (!saving || saveAs === undefined) return;
      // Events first, and the page's charts saved with them, so the saved charts reach the checkpoint's step.
      await batcher.flush();
      await onCheckpoint?.({ saving: c.train?.step ?? 0 });
      let saved: CheckpointSaved;
      try {
        saved = { step: await saveCheckpoint(saveAs, c) };
      } catch (e) {
        saving = false;
        saved = { error: e instanceof Error ? e.message : String(e) };
      }
      // The test's fault: the run waits here, stored but unannounced, until the page goes.
      if ('step' in saved && holdsCheckpointAck(saved.step)) await new Promise<never>(() => undefined);
      await onCheckpoint?.(saved);
    };
    try {
      // The files are the caller's from here on, so their buffers move instead of being copied.
      const artifacts = await s.run(options, (e) => batcher.push(e), own.signal, undefined, {
        ...(resume ? { resume } : {}),
        ...(extras.checkpointMs !== undefined ? { checkpointMs: extras.checkpointMs } : {}),
        ...(saveAs !== undefined ? { onCheckpoint: store } : {}),
        ...searchWorkersFor(extras.searchWorkers),
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

  /** Hooks of the browser tests (`?debug=faults`): faults, and the GPU kernels' checks loaded on demand. */
  ...debugApi(backend),
};

export type Api = typeof api;

Comlink.expose(api);
