/**
 * The one owner of the live run on the page: starts a run or resumes a saved one, folds the
 * worker's events into it, ends it however it ends, and keeps its saved record in step. It holds
 * the run's state itself; the store only shows it.
 */
import * as Comlink from 'comlink';
import type { PruneOptions } from '../../core/options';
import { DEVICE_LOST_ERROR, type RunArtifacts } from '../../core/session-types';
import type { CheckpointSaved } from '../../../workers/studio.worker';
import { errorText } from '../format';
import { newRunRecord, RunRecorder } from '../persist/recorder';
import { getInputs, getRun, listRuns } from '../persist/run-records';
import { applyEvents, idleRun, type RunState } from '../run-state';
import { endedRun, finishedRun, resumedRun, startedRun } from '../run-transitions';
import * as store from '../store';
import { WorkerGone } from './connection';
import type { LoadedInputs } from './loaded-inputs';
import type { WorkerLife } from './worker-life';

type EndStatus = 'failed' | 'cancelled' | 'interrupted';
const notice = (m: string) => store.setNotice(m);
const isAbort = (e: unknown) => e instanceof Error && e.name === 'AbortError';

/** ?searchWorkers=N: search workers beside the compute worker on wasm (default: the cores left, see workers/search-workers.ts). */
function searchWorkersAsked(): number | null {
  const v = new URLSearchParams(globalThis.location?.search ?? '').get('searchWorkers');
  const n = v === null ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

export class RunOwner {
  private live: RunState = idleRun;
  /** Bumped when a run is given up on: what its worker still sends is ignored. */
  private token = 0;
  /** Saves the current run as it goes (null between runs). */
  private recorder: RunRecorder | null = null;

  constructor(private readonly life: WorkerLife, private readonly inputs: LoadedInputs) {}

  /** A run is in progress (running, or cancelled and not yet stopped). */
  get active(): boolean {
    return this.live.status === 'running' || this.live.status === 'cancelling';
  }

  /** Starts a run of the loaded model and images; it is saved as it goes. */
  async run(options: PruneOptions): Promise<void> {
    const s = store.studio.getState();
    const inputs = this.inputs.saved(options.preprocess);
    const run = startedRun(globalThis.crypto.randomUUID(), s.model?.name ?? 'model');
    // A new run makes the last run's failure old news.
    store.clearErrors('run');
    this.show(run);
    const record = newRunRecord(run, options, inputs?.id ?? '', {
      modelSource: s.modelSource ?? '', datasetSource: s.datasetSource ?? '', imageCount: s.dataset?.count ?? 0, backend: s.backend?.name ?? '',
    });
    this.recorder = RunRecorder.start(record, inputs, notice);
    await this.execute(options, false);
  }

  /**
   * Continues a saved run from its checkpoint (or from the start when it has none): its model and images are loaded again from
   * storage when they are not the ones loaded now, and its settings come back with it.
   */
  async resume(id: string): Promise<void> {
    if (this.active) return;
    const record = await getRun(id);
    if (!record) {
      store.reportError('run', 'This run is no longer saved.');
      return;
    }
    if (this.inputs.saved(record.options.preprocess)?.id !== record.inputsId) {
      const saved = await getInputs(record.inputsId);
      if (!saved) {
        store.reportError('run', `The model and images of this run (${record.modelSource}) are no longer saved; load them and start the run again.`);
        return;
      }
      const images = { files: saved.images, source: saved.imagesSource, ...(saved.classList ? { classList: saved.classList } : {}), ...(saved.unlabelled ? { unlabelled: true } : {}) };
      const model = { files: saved.model, source: saved.modelSource, ...(saved.modelClassList ? { classList: saved.modelClassList } : {}) };
      if (!(await this.inputs.loadModel(model, { preprocess: saved.preprocess, images })) || !store.studio.getState().dataset) return;
    }
    // Without a checkpoint (stopped before the one-shot model was saved) it starts over.
    const step = record.checkpointStep;
    this.live = step === null ? startedRun(record.id, record.modelName) : resumedRun(record, step);
    store.clearErrors('run');
    store.showResumedRun(this.live, record.options);
    this.recorder = RunRecorder.resume(record, notice);
    await this.execute(record.options, step !== null);
  }

  /** Asks the run to stop; the worker is restarted if it has not stopped within a few seconds. */
  cancel(): void {
    if (this.live.status !== 'running') return;
    this.show({ ...this.live, status: 'cancelling' });
    this.life.cancelRun();
  }

  /** The worker went away under the run (if any): it ends; returns what to tell the user of it. */
  interrupt(reason: string, deviceLost: boolean): string {
    if (!this.active) return '';
    if (this.live.status === 'cancelling' && !deviceLost) {
      this.token++;
      this.end('cancelled', null);
      return '';
    }
    const step = this.live.checkpointStep;
    this.end('interrupted', reason);
    if (!deviceLost) return '';
    return step === null
      ? ' The run was interrupted before its first checkpoint; resuming starts it again.'
      : ` The run was interrupted; its checkpoint at step ${step} is saved. Resume it, on another backend if need be.`;
  }

  /** Reads the saved runs into the store (the history page and the header's count). */
  async refreshRuns(): Promise<void> {
    try {
      store.setRuns(await listRuns());
    } catch (e) {
      notice(`Saved runs could not be read from the browser's storage: ${errorText(e)}`);
    }
  }

  /** Runs the pipeline on the worker (from the saved checkpoint when `resume`) and ends the run as it ends. */
  private async execute(options: PruneOptions, resume: boolean): Promise<void> {
    const token = ++this.token;
    store.setWorkerMemory(null);
    const recorder = this.recorder;
    // The worker stores checkpoints under the run's record, so the record goes first.
    await recorder?.ready;
    void this.refreshRuns();
    if (token !== this.token) return;
    if (this.cancelling()) {
      this.life.runStopped();
      this.end('cancelled', null);
      return;
    }
    const onEvents = Comlink.proxy((events: Parameters<typeof applyEvents>[1]) => {
      if (token !== this.token) return;
      this.show(applyEvents(this.live, events));
      recorder?.update(this.live);
    });
    const onCheckpoint = Comlink.proxy(async (saved: CheckpointSaved) => {
      if (token !== this.token || !recorder) return;
      if ('saving' in saved) return recorder.saveState(this.live);
      if ('error' in saved) return recorder.checkpointFailed(`the checkpoint was not stored: ${saved.error}`);
      const run = { ...this.live, checkpointStep: saved.step };
      await recorder.checkpointSaved(saved.step, run);
      // Shown once stored: a reload from here on resumes at this step.
      if (token === this.token && recorder.saved) this.show({ ...this.live, checkpointStep: saved.step });
    });
    const workers = searchWorkersAsked();
    const extras = { ...(recorder ? { saveAs: recorder.id } : {}), ...(resume ? { resume: true } : {}), ...(workers !== null ? { searchWorkers: workers } : {}) };
    try {
      const artifacts = await this.life.call(null, (api) => api.run(options, onEvents, onCheckpoint, extras));
      if (token === this.token) this.finish(artifacts);
    } catch (e) {
      if (token !== this.token) return;
      if (e instanceof Error && e.name === DEVICE_LOST_ERROR) this.life.deviceLost(e.message);
      else if (this.cancelling() || isAbort(e)) this.end('cancelled', null);
      else if (!(e instanceof WorkerGone)) {
        this.end('failed', errorText(e));
        store.reportError('run', `The run failed: ${errorText(e)}`);
      }
    } finally {
      if (token === this.token) {
        this.life.runStopped();
        // What the worker holds once the run is over: the same after every run when nothing leaks.
        void this.readMemory();
      }
    }
  }

  /** Read afresh each time: the user may cancel while the worker is being waited for. */
  private cancelling(): boolean {
    return this.live.status === 'cancelling';
  }

  private show(run: RunState): void {
    this.live = run;
    store.showRun(run);
  }

  private finish(artifacts: RunArtifacts): void {
    this.show(finishedRun(this.live, artifacts));
    this.closeRecorder((r) => r.finish(this.live, artifacts));
  }

  /** Ends the live run and its saved record alike. */
  private end(status: EndStatus, error: string | null): void {
    this.show(endedRun(this.live, status, error));
    this.closeRecorder((r) => r.stop(status, error, this.live));
  }

  /** The run's last save (`save` on its recorder), then the run list again; once per run. */
  private closeRecorder(save: (recorder: RunRecorder) => Promise<void>): void {
    const recorder = this.recorder;
    this.recorder = null;
    if (recorder) void save(recorder).then(() => this.refreshRuns());
  }

  /** Reads what the worker's TF.js holds now into the store. */
  private async readMemory(): Promise<void> {
    try {
      store.setWorkerMemory(await this.life.call(null, (api) => api.memory()));
    } catch {
      // A worker that is gone has nothing to report; the next run reads again.
    }
  }
}
