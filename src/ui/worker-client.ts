/**
 * The one owner of the studio worker on the page. It queues calls so they reach the worker in
 * order, forwards run events to the store, turns Cancel into an abort (and, when the worker does
 * not stop in time, into terminate + restart), restarts a crashed worker, and keeps the last
 * loaded files so a fresh worker gets the same model and images again.
 */
import * as Comlink from 'comlink';
import { fingerprint, type RunCheckpoint } from '../core/checkpoint';
import type { Preprocess, PruneOptions } from '../core/options';
import { DEVICE_LOST_ERROR, type RunArtifacts } from '../core/session-types';
import type { Api } from '../../workers/studio.worker';
import type { SourceFile } from './files/source-file';
import { toNamedBytes } from './files/source-file';
import { labelsGoStale, relabelMessage } from './files/relabel';
import { setUnlabelledOffer } from './files/unlabelled-offer';
import { offersUnlabelled } from '../core/unlabelled';
import { errorText } from './format';
import * as store from './store';
import { WorkerConnection, WorkerGone } from './worker-connection';
import type { RunRecord, SavedInputs } from './persist/db';
import { RunRecorder, savedState } from './persist/recorder';
import { idleRun } from './run-state';
import { getCheckpoint, getInputs, getRun, listRuns } from './persist/run-records';

/** Files of one load, as the user gave them. */
export interface Inputs {
  files: SourceFile[];
  /** Shown in the UI: where the files came from. */
  source: string;
  /** Class names: for images, the list to match folder names to; for a model, its own (used when images bring none). */
  classList?: string[];
  /** Images only: read without labels (folder names ignored). */
  unlabelled?: boolean;
}

/** How long a cancelled run may take to stop before the worker is terminated. */
const CANCEL_GRACE_MS = 5000;
/** Crashes in a row (without a successful start) before giving up. */
const MAX_RESTARTS = 3;

/** ?threads=N: how many threads wasm trains with (default: half the cores, see workers/wasm-setup.ts). */
function wasmThreadsAsked(): number | null {
  const n = Number(new URLSearchParams(globalThis.location?.search ?? '').get('threads'));
  return Number.isInteger(n) && n >= 1 ? n : null;
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

function transferable(files: Awaited<ReturnType<typeof toNamedBytes>>) {
  return Comlink.transfer(files, files.map((f) => f.bytes));
}

export class WorkerClient {
  private conn!: WorkerConnection;
  private model: Inputs | null = null;
  private images: Inputs | null = null;
  private runId = 0;
  private cancelTimer: ReturnType<typeof setTimeout> | null = null;
  private crashes = 0;
  /** The next worker times every backend even if this browser has fresh probe figures. */
  private measureAgain = false;
  /** Saves the current run as it goes (null between runs). */
  private recorder: RunRecorder | null = null;

  constructor(private readonly createWorker: () => Worker) {
    this.connect();
  }

  /** Starts a worker, makes it the current one and asks it to pick a backend. */
  private connect(): void {
    const conn = new WorkerConnection(this.createWorker(), (msg) => {
      if (this.conn === conn) this.restart(`The worker crashed (${msg}).`);
    });
    this.conn = conn;
    store.setWorker('starting');
    // The header's choice, else ?backend= (the store starts from it), else the fastest in the probe.
    const measureAgain = this.measureAgain;
    this.measureAgain = false;
    this.call('Starting the compute backend…', (api) => api.init(store.studio.getState().backendChoice, measureAgain, wasmThreadsAsked()))
      .then((backend) => {
        this.crashes = 0;
        store.setWorker('ready', backend);
        const onFault = Comlink.proxy((message: string) => {
          if (this.conn === conn) this.deviceLost(message);
        });
        void conn.api.watchFaults(onFault).catch(() => undefined);
      })
      .catch((e) => {
        if (e instanceof WorkerGone) return;
        store.setWorker('failed');
        store.reportError(`The compute worker could not start: ${errorText(e)}`);
      });
  }

  /** A queued call on the current worker; the page shows `label` as busy while it runs. */
  private call<T>(label: string | null, fn: (api: Comlink.Remote<Api>, task: number | null) => Promise<T>): Promise<T> {
    return this.conn.call(async (api) => {
      const task = label ? store.beginBusy(label) : null;
      try {
        return await fn(api, task);
      } finally {
        if (task !== null) store.endBusy(task);
      }
    });
  }

  /** Tears the worker down, starts a fresh one and sends it the last model and images. */
  private restart(reason: string, asError = true): void {
    this.conn.terminate(reason);
    store.clearBusy();
    const run = store.studio.getState().run.status;
    if (run === 'running') this.endRun('interrupted', reason);
    if (run === 'cancelling') this.endRun('cancelled', null);
    if (++this.crashes > MAX_RESTARTS) {
      store.setWorker('failed');
      store.reportError(`${reason} It failed ${MAX_RESTARTS} times in a row, so it was not restarted; reload the page.`);
      return;
    }
    const resent = this.model ? ' It was restarted and your model and images were sent to it again.' : ' It was restarted.';
    if (asError) store.reportError(reason + resent);
    else store.setNotice(reason + resent);
    store.setWorker('restarting');
    this.connect();
    if (this.model) void this.loadModel(this.model, { preprocess: store.studio.getState().options.preprocess });
  }

  /**
   * Loads model.json + shards, then reads the images again for the new input size: the
   * current ones by default, `next.images` when given (null forgets them). One queued task, so
   * no other load can slip between the model and its images.
   */
  async loadModel(inputs: Inputs, next: { preprocess?: Preprocess; images?: Inputs | null } = {}): Promise<boolean> {
    try {
      return await this.call(`Reading the model (${inputs.source})…`, async (api, task) => {
        const summary = await api.loadModel(transferable(await toNamedBytes(inputs.files)));
        const previous = this.model;
        this.model = inputs;
        store.setModel(summary, inputs.source, next.preprocess);
        const images = next.images === undefined ? this.images : next.images;
        const before = store.studio.getState().dataset;
        this.images = null;
        store.setDataset(null, null);
        // Images kept from before are checked against the new model; labels of another model's classes go.
        const kept = next.images === undefined;
        const stale = kept && labelsGoStale(before, previous?.classList, inputs.classList);
        if (images && (await this.readImages(api, stale ? { ...images, unlabelled: true } : images, task)) && kept) {
          const change = relabelMessage(before, store.studio.getState().dataset, images.source, { name: summary.name, classes: inputs.classList }, previous?.classList);
          if (change) store.setNotice(change);
        }
        return true;
      });
    } catch (e) {
      if (!(e instanceof WorkerGone)) store.reportError(`Could not load the model: ${errorText(e)}`);
      return false;
    }
  }

  /** Images wait for a model when none is loaded yet (they are sized to its input). */
  async loadImages(inputs: Inputs): Promise<boolean> {
    if (!this.model) {
      this.images = inputs;
      store.setDataset(null, `${inputs.source} (waiting for a model)`);
      return false;
    }
    try {
      return await this.call(`Reading images (${inputs.source})…`, (api, task) => this.readImages(api, inputs, task));
    } catch (e) {
      if (!(e instanceof WorkerGone)) throw e;
      return false;
    }
  }

  /** Sends images to the worker; an error is reported here and leaves the last good set in place. */
  private async readImages(api: Comlink.Remote<Api>, inputs: Inputs, task: number | null): Promise<boolean> {
    const label = `Reading images (${inputs.source})…`;
    let live = true; // progress messages can arrive after the result; ignore those
    const onProgress = Comlink.proxy((done: number, total: number) => {
      if (live && task !== null) store.updateBusy(task, `${label} ${done} / ${total}`);
    });
    try {
      const classList = inputs.classList ?? this.model?.classList;
      const summary = await api.loadImages(transferable(await toNamedBytes(inputs.files)), classList, onProgress, inputs.unlabelled ?? false);
      this.images = inputs;
      store.setDataset(summary, inputs.source);
      setUnlabelledOffer(null);
      return true;
    } catch (e) {
      const message = errorText(e);
      store.reportError(`Could not load the images: ${message}`);
      setUnlabelledOffer(offersUnlabelled(message) ? { files: inputs.files, source: inputs.source, message } : null);
      return false;
    } finally {
      live = false;
    }
  }

  /** Reads the current images again with a class list (folder names -> class indices). */
  async setClassList(classList: string[] | undefined): Promise<void> {
    if (this.images) await this.loadImages({ ...this.images, classList });
  }

  /** Starts a run of the loaded model and images; it is saved as it goes. */
  async run(options: PruneOptions): Promise<void> {
    const s = store.studio.getState();
    const id = globalThis.crypto.randomUUID();
    const inputs = this.savedInputs(options.preprocess);
    const now = Date.now();
    const record: RunRecord = {
      id, createdAt: now, updatedAt: now, status: 'running', error: null,
      modelName: s.model?.name ?? 'model', modelSource: s.modelSource ?? '', datasetSource: s.datasetSource ?? '',
      imageCount: s.dataset?.count ?? 0, options, backend: s.backend?.name ?? '', inputsId: inputs?.id ?? '',
      state: savedState({ ...idleRun, id, status: 'running' }), checkpointStep: null, checkpointBytes: 0, hasArtifacts: false,
    };
    store.startRun(id, record.modelName);
    this.recorder = RunRecorder.start(record, inputs, (m) => store.setNotice(m));
    await this.execute(options, null);
  }

  /**
   * Continues a saved run from its checkpoint (or from the start when it has none): its model and images are loaded again from
   * storage when they are not the ones loaded now, and its settings come back with it.
   */
  async resume(id: string): Promise<void> {
    const status = store.studio.getState().run.status;
    if (status === 'running' || status === 'cancelling') return;
    const [record, checkpoint] = await Promise.all([getRun(id), getCheckpoint(id)]);
    if (!record) {
      store.reportError('This run is no longer saved.');
      return;
    }
    if (this.savedInputs(record.options.preprocess)?.id !== record.inputsId) {
      const saved = await getInputs(record.inputsId);
      if (!saved) {
        store.reportError(`The model and images of this run (${record.modelSource}) are no longer saved; load them and start the run again.`);
        return;
      }
      const images = { files: saved.images, source: saved.imagesSource, ...(saved.classList ? { classList: saved.classList } : {}), ...(saved.unlabelled ? { unlabelled: true } : {}) };
      const model = { files: saved.model, source: saved.modelSource, ...(saved.modelClassList ? { classList: saved.modelClassList } : {}) };
      if (!(await this.loadModel(model, { preprocess: saved.preprocess, images })) || !store.studio.getState().dataset) return;
    }
    // Without a checkpoint (stopped before the one-shot model was saved) it starts over.
    if (checkpoint) store.resumeRun(record);
    else store.restartRun(record);
    this.recorder = RunRecorder.resume(record, (m) => store.setNotice(m));
    await this.execute(record.options, checkpoint ?? null);
  }

  /** Runs the pipeline on the worker (from `resume` when given) and ends the run as it ends. */
  private async execute(options: PruneOptions, resume: RunCheckpoint | null): Promise<void> {
    const id = ++this.runId;
    store.setWorkerMemory(null);
    const recorder = this.recorder;
    void recorder?.ready.then(() => this.refreshRuns());
    const onEvents = Comlink.proxy((events: Parameters<typeof store.receiveEvents>[0]) => {
      if (id !== this.runId) return;
      store.receiveEvents(events);
      recorder?.update(store.studio.getState().run);
    });
    const onCheckpoint = Comlink.proxy(async (c: RunCheckpoint) => {
      if (id !== this.runId || !recorder) return;
      await recorder.checkpoint(c, store.studio.getState().run);
      // Shown once stored: a reload from here on resumes at this step.
      if (id === this.runId && recorder.saved) store.setCheckpointStep(c.train?.step ?? 0);
    });
    try {
      const artifacts = await this.call(null, (api) => api.run(options, onEvents, onCheckpoint, resume ? { resume } : {}));
      if (id === this.runId) this.finish(artifacts);
    } catch (e) {
      if (id !== this.runId) return;
      const cancelled = store.studio.getState().run.status === 'cancelling' || isAbort(e);
      if (e instanceof Error && e.name === DEVICE_LOST_ERROR) this.deviceLost(e.message);
      else if (cancelled) this.endRun('cancelled', null);
      else if (!(e instanceof WorkerGone)) {
        this.endRun('failed', errorText(e));
        store.reportError(`The run failed: ${errorText(e)}`);
      }
    } finally {
      if (id === this.runId && this.cancelTimer !== null) {
        clearTimeout(this.cancelTimer);
        this.cancelTimer = null;
      }
      // What the worker holds once the run is over: the same after every run when nothing leaks.
      if (id === this.runId) void this.readMemory();
    }
  }

  /** Reads what the worker's TF.js holds now into the store. */
  private async readMemory(): Promise<void> {
    try {
      store.setWorkerMemory(await this.call(null, (api) => api.memory()));
    } catch {
      // A worker that is gone has nothing to report; the next run reads again.
    }
  }

  /** The GPU is gone: the run (if any) is interrupted and a fresh worker takes over. */
  private deviceLost(message: string): void {
    const status = store.studio.getState().run.status;
    let what = '';
    if (status === 'running' || status === 'cancelling') {
      const step = store.studio.getState().run.checkpointStep;
      this.endRun('interrupted', message);
      what =
        step === null
          ? ' The run was interrupted before its first checkpoint; resuming starts it again.'
          : ` The run was interrupted; its checkpoint at step ${step} is saved. Resume it, on another backend if need be.`;
    }
    this.crashes = 0;
    this.restart(message + what);
  }

  private finish(artifacts: RunArtifacts): void {
    store.finishRun(artifacts);
    this.closeRecorder((r) => r.finish(store.studio.getState().run, artifacts));
  }

  /** The run's last save (`save` on its recorder), then the run list again; once per run. */
  private closeRecorder(save: (recorder: RunRecorder) => Promise<void>): void {
    const recorder = this.recorder;
    this.recorder = null;
    if (recorder) void save(recorder).then(() => this.refreshRuns());
  }

  /** Ends the live run and its saved record alike. */
  private endRun(status: 'failed' | 'cancelled' | 'interrupted', error: string | null): void {
    store.endRun(status, error);
    this.closeRecorder((r) => r.stop(status, error, store.studio.getState().run));
  }

  /** Reads the saved runs into the store (the history page and the header's count). */
  async refreshRuns(): Promise<void> {
    try {
      store.setRuns(await listRuns());
    } catch (e) {
      store.setNotice(`Saved runs could not be read from the browser's storage: ${errorText(e)}`);
    }
  }

  /**
   * The loaded model and images as saved with a run: keyed by where they came from, their paths
   * and sizes, so runs of the same inputs share one copy. Null when nothing is loaded.
   */
  private savedInputs(preprocess: Preprocess): SavedInputs | null {
    if (!this.model || !this.images) return null;
    const { model, images } = this;
    const parts = [model.source, images.source, images.unlabelled ? 'unlabelled' : '', ...(images.classList ?? []), ...(model.classList ?? [])];
    for (const f of [...model.files, ...images.files]) parts.push(f.path, String(f.blob.size));
    return {
      id: `in-${fingerprint(...parts)}-${model.files.length}-${images.files.length}`,
      modelSource: model.source,
      model: model.files.map((f) => ({ path: f.path, blob: f.blob })),
      imagesSource: images.source,
      images: images.files.map((f) => ({ path: f.path, blob: f.blob })),
      ...(images.classList ? { classList: images.classList } : {}),
      ...(images.unlabelled ? { unlabelled: true } : {}),
      ...(model.classList ? { modelClassList: model.classList } : {}),
      preprocess,
    };
  }

  /** Fault injection for tests (`?debug=faults`): a worker crash or a lost GPU device. */
  injectFault(kind: 'crash' | 'lose-device'): Promise<void> {
    return this.conn.api.injectFault(kind);
  }

  /** For the kernel test (`?debug=faults`): the WebGPU kernels' self-test and timings. */
  checkWebGpuKernels() {
    return this.conn.api.checkWebGpuKernels();
  }

  /** For the kernel test (`?debug=faults`): the WebGL kernels' self-test and timings. */
  checkWebGlKernels() {
    return this.conn.api.checkWebGlKernels();
  }

  /**
   * Restarts the worker on `name` (null: the fastest in its probe) and sends it the loaded model
   * and images again. Refused (false) while a run is in progress.
   */
  useBackend(name: string | null, measureAgain = false): boolean {
    const run = store.studio.getState().run.status;
    if (run === 'running' || run === 'cancelling') return false;
    this.measureAgain = measureAgain;
    store.setBackendChoice(name);
    this.crashes = 0;
    this.restart(`The compute worker was switched to ${name ?? 'the fastest backend'}.`, false);
    return true;
  }

  /** Asks the run to stop; terminates and restarts the worker if it has not within a few seconds. */
  cancel(): void {
    if (store.studio.getState().run.status !== 'running') return;
    store.setRunStatus('cancelling');
    void this.conn.api.cancel().catch(() => undefined);
    const id = this.runId;
    this.cancelTimer = setTimeout(() => {
      this.cancelTimer = null;
      if (id !== this.runId || store.studio.getState().run.status !== 'cancelling') return;
      this.runId++;
      this.endRun('cancelled', null);
      this.crashes = 0;
      this.restart('The run did not stop within a few seconds, so the worker was stopped.', false);
    }, CANCEL_GRACE_MS);
  }
}

let instance: WorkerClient | null = null;

/** The page's worker client, started on first use. */
export function workerClient(): WorkerClient {
  instance ??= new WorkerClient(
    () => new Worker(new URL('../../workers/studio.worker.ts', import.meta.url), { type: 'module', name: 'studio' }),
  );
  return instance;
}
