/**
 * The studio's worker: owns TF.js, the GPU and one StudioSession. The UI talks to it only
 * through `Api` (comlink), so long runs never block the page.
 */
import * as Comlink from 'comlink';
import type { ProgressEvent } from '../src/core/events';
import type { PruneOptions } from '../src/core/options';
import type { BackendInfo, DatasetSummary, ModelSummary, NamedBytes, RunArtifacts } from '../src/core/session-types';
import { StudioSession } from '../src/engine/session';
import { selectBackend } from './backend-select';
import { decodeBrowser } from './decode-browser';
import { EventBatcher } from './event-batcher';

/** Least time between two image-loading progress messages. */
const PROGRESS_MS = 200;

let backendInfo: Promise<BackendInfo> | null = null;
/** Backend the page asked for (e.g. ?backend=wasm), tried first. */
let preferred: string | null = null;
let session: StudioSession | null = null;
let controller: AbortController | null = null;

/** Backend selection runs once; every call waits for it. */
function backend(): Promise<BackendInfo> {
  return (backendInfo ??= selectBackend(preferred));
}

async function ready(): Promise<StudioSession> {
  const info = await backend();
  session ??= new StudioSession({ decode: decodeBrowser, backend: info.name });
  return session;
}

const api = {
  /** Picks the backend (`prefer` first, else WebGPU, WebGL, wasm, CPU) and says which and why. */
  async init(prefer?: string | null): Promise<BackendInfo> {
    preferred ??= prefer ?? null;
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

  /** Runs the whole pipeline, sending progress events to `onEvents` in batches. */
  async run(options: PruneOptions, onEvents: (events: ProgressEvent[]) => void): Promise<RunArtifacts> {
    const s = await ready();
    if (controller) throw new Error('A run is already in progress.');
    const own = new AbortController();
    controller = own;
    const batcher = new EventBatcher(onEvents);
    try {
      // The files are the caller's from here on, so their buffers move instead of being copied.
      const artifacts = await s.run(options, (e) => batcher.push(e), own.signal);
      await batcher.flush();
      const buffers = [artifacts.weights, artifacts.masks, artifacts.nmPacked].filter((b): b is ArrayBuffer => b !== null);
      return Comlink.transfer(artifacts, buffers);
    } catch (e) {
      await batcher.flush();
      throw e;
    } finally {
      if (controller === own) controller = null;
    }
  },

  /** Asks the running pipeline to stop; `run` then rejects with an AbortError. */
  async cancel(): Promise<void> {
    controller?.abort();
  },
};

export type Api = typeof api;

Comlink.expose(api);
