/**
 * The studio worker's life on the page: starts it and picks its backend, queues calls on it,
 * restarts it when it crashes (giving up after a few crashes in a row), when the GPU device is
 * lost, when a cancelled run does not stop in time, or when the user switches backend.
 */
import * as Comlink from 'comlink';
import type { Api } from '../../../workers/studio.worker';
import { errorText } from '../format';
import * as store from '../store';
import { WorkerConnection, WorkerGone } from './connection';

/** How long a cancelled run may take to stop before the worker is terminated. */
const CANCEL_GRACE_MS = 5000;
/** Crashes in a row (without a successful start) before giving up. */
const MAX_RESTARTS = 3;

/** What the rest of the page does when the worker goes away and comes back. */
export interface LifeHooks {
  /** The worker went away under the live run (if any): it ends, and returns what the user should be told of it. */
  interrupt(reason: string, deviceLost: boolean): string;
  /** A run is in progress (the backend cannot be switched under it). */
  runActive(): boolean;
  /** A fresh worker started: the loaded inputs go to it again; true when there were any. */
  resend(): boolean;
}

/** ?threads=N: how many threads wasm trains with (default: half the cores, see workers/wasm-setup.ts). */
function wasmThreadsAsked(): number | null {
  const n = Number(new URLSearchParams(globalThis.location?.search ?? '').get('threads'));
  return Number.isInteger(n) && n >= 1 ? n : null;
}

export class WorkerLife {
  private conn!: WorkerConnection;
  private crashes = 0;
  /** The next worker times every backend even if this browser has fresh probe figures. */
  private measureAgain = false;
  private cancelTimer: ReturnType<typeof setTimeout> | null = null;
  private hooks: LifeHooks = { interrupt: () => '', runActive: () => false, resend: () => false };

  constructor(private readonly createWorker: () => Worker) {}

  /** Starts the first worker; `hooks` hear of its restarts. */
  start(hooks: LifeHooks): void {
    this.hooks = hooks;
    this.connect();
  }

  /** The current worker's API, for calls that must not wait in the queue (cancel, debug hooks). */
  get api(): Comlink.Remote<Api> {
    return this.conn.api;
  }

  /** A queued call on the current worker; the page shows `label` as busy while it runs. */
  call<T>(label: string | null, fn: (api: Comlink.Remote<Api>, task: number | null) => Promise<T>): Promise<T> {
    return this.conn.call(async (api) => {
      const task = label ? store.beginBusy(label) : null;
      try {
        return await fn(api, task);
      } finally {
        if (task !== null) store.endBusy(task);
      }
    });
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
        store.reportError('worker', `The compute worker could not start: ${errorText(e)}`);
      });
  }

  /** Tears the worker down, starts a fresh one and sends it the last model and images. */
  private restart(reason: string, asError = true): void {
    this.conn.terminate(reason);
    this.runStopped();
    store.clearBusy();
    this.hooks.interrupt(reason, false);
    if (++this.crashes > MAX_RESTARTS) {
      store.setWorker('failed');
      store.reportError('worker', `${reason} It failed ${MAX_RESTARTS} times in a row, so it was not restarted; reload the page.`);
      return;
    }
    store.setWorker('restarting');
    this.connect();
    const resent = this.hooks.resend() ? ' It was restarted and your model and images were sent to it again.' : ' It was restarted.';
    if (asError) store.reportError('worker', reason + resent);
    else store.setNotice(reason + resent);
  }

  /** The GPU is gone: the run (if any) is interrupted and a fresh worker takes over. */
  deviceLost(message: string): void {
    const what = this.hooks.interrupt(message, true);
    this.crashes = 0;
    this.restart(message + what);
  }

  /**
   * Restarts the worker on `name` (null: the fastest in its probe) and sends it the loaded model
   * and images again. Refused (false) while a run is in progress.
   */
  useBackend(name: string | null, measureAgain = false): boolean {
    if (this.hooks.runActive()) return false;
    this.measureAgain = measureAgain;
    store.setBackendChoice(name);
    this.crashes = 0;
    this.restart(`The compute worker was switched to ${name ?? 'the fastest backend'}.`, false);
    return true;
  }

  /** Asks the running pipeline to stop; terminates and restarts the worker if it has not within a few seconds. */
  cancelRun(): void {
    void this.conn.api.cancel().catch(() => undefined);
    this.runStopped();
    this.cancelTimer = setTimeout(() => {
      this.cancelTimer = null;
      this.crashes = 0;
      this.restart('The run did not stop within a few seconds, so the worker was stopped.', false);
    }, CANCEL_GRACE_MS);
  }

  /** The run ended (or the worker went): no grace period is pending any more. */
  runStopped(): void {
    if (this.cancelTimer !== null) clearTimeout(this.cancelTimer);
    this.cancelTimer = null;
  }
}
