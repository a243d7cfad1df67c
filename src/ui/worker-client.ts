/**
 * The one owner of the studio worker on the page. It queues calls so they reach the worker in
 * order, forwards run events to the store, turns Cancel into an abort (and, when the worker does
 * not stop in time, into terminate + restart), restarts a crashed worker, and keeps the last
 * loaded files so a fresh worker gets the same model and images again.
 */
import * as Comlink from 'comlink';
import type { Preprocess, PruneOptions } from '../core/options';
import type { Api } from '../../workers/studio.worker';
import type { SourceFile } from './files/source-file';
import { toNamedBytes } from './files/source-file';
import { errorText } from './format';
import * as store from './store';
import { WorkerConnection, WorkerGone } from './worker-connection';

/** Files of one load, as the user gave them. */
export interface Inputs {
  files: SourceFile[];
  /** Shown in the UI: where the files came from. */
  source: string;
  classList?: string[];
}

/** How long a cancelled run may take to stop before the worker is terminated. */
const CANCEL_GRACE_MS = 5000;
/** Crashes in a row (without a successful start) before giving up. */
const MAX_RESTARTS = 3;

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
    this.call('Starting the compute backend…', (api) => api.init(new URLSearchParams(globalThis.location?.search ?? '').get('backend')))
      .then((backend) => {
        this.crashes = 0;
        store.setWorker('ready', backend);
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
    if (run === 'running' || run === 'cancelling') store.endRun('failed', reason);
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
        this.model = inputs;
        store.setModel(summary, inputs.source, next.preprocess);
        const images = next.images === undefined ? this.images : next.images;
        this.images = null;
        store.setDataset(null, null);
        if (images) await this.readImages(api, images, task);
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
      const summary = await api.loadImages(transferable(await toNamedBytes(inputs.files)), inputs.classList, onProgress);
      this.images = inputs;
      store.setDataset(summary, inputs.source);
      return true;
    } catch (e) {
      store.reportError(`Could not load the images: ${errorText(e)}`);
      return false;
    } finally {
      live = false;
    }
  }

  /** Reads the current images again with a class list (folder names -> class indices). */
  async setClassList(classList: string[] | undefined): Promise<void> {
    if (this.images) await this.loadImages({ ...this.images, classList });
  }

  async run(options: PruneOptions): Promise<void> {
    const id = ++this.runId;
    store.startRun();
    const onEvents = Comlink.proxy((events: Parameters<typeof store.receiveEvents>[0]) => {
      if (id === this.runId) store.receiveEvents(events);
    });
    try {
      const artifacts = await this.call(null, (api) => api.run(options, onEvents));
      if (id === this.runId) store.finishRun(artifacts);
    } catch (e) {
      if (id !== this.runId) return;
      const cancelled = store.studio.getState().run.status === 'cancelling' || isAbort(e);
      if (cancelled) store.endRun('cancelled', null);
      else if (!(e instanceof WorkerGone)) {
        store.endRun('failed', errorText(e));
        store.reportError(`The run failed: ${errorText(e)}`);
      }
    } finally {
      if (id === this.runId && this.cancelTimer !== null) {
        clearTimeout(this.cancelTimer);
        this.cancelTimer = null;
      }
    }
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
      store.endRun('cancelled', null);
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
