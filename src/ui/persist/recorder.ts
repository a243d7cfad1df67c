/**
 * Saves one run as it goes: its record (settings, chart history) a few times a second at most
 * and right after each checkpoint the worker stored, and its files when it ends. Storage
 * problems never stop a run: they are reported once and the run goes on unsaved.
 */
import type { RunArtifacts } from '../../core/session-types';
import type { RunState } from '../run-state';
import type { RunRecord, SavedInputs, SavedStatus } from './db';
import { holdRunLock, putRun, saveFinished, saveInputs } from './run-records';

/** Least time between two saves of the record while a run goes. */
const SAVE_MS = 1500;

/** For the browser tests (`?debug=faults`): the periodic saves stop, so the record is saved only around checkpoints. */
export const recorderFaults = { noPeriodicSaves: false };

/** The saved form of the live state (files are saved apart). */
export function savedState(run: RunState): RunRecord['state'] {
  const { artifacts: _files, ...rest } = run;
  return rest;
}

/** The first record of a new run (`run` as it starts); `where` says what it runs on. */
export function newRunRecord(
  run: RunState,
  options: RunRecord['options'],
  inputsId: string,
  where: Pick<RunRecord, 'modelSource' | 'datasetSource' | 'imageCount' | 'backend'>,
): RunRecord {
  const now = Date.now();
  return {
    ...where, id: run.id ?? '', createdAt: now, updatedAt: now, status: 'running', error: null, modelName: run.modelName ?? 'model',
    options, inputsId, state: savedState(run), checkpointStep: null, checkpointBytes: 0, hasArtifacts: false,
  };
}

export class RunRecorder {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private latest: RunState | null = null;
  /** Writes in order: a slow write never lands after a newer one. */
  private chain: Promise<unknown> = Promise.resolve();
  private releaseLock: () => void;
  private broken = false;
  /** Settles when the record's first save is done (or failed). */
  ready: Promise<void> = Promise.resolve();

  private constructor(
    private record: RunRecord,
    private readonly onError: (message: string) => void,
  ) {
    this.releaseLock = holdRunLock(record.id);
  }

  /** Saves the inputs (once per distinct set) and the new run's record. */
  static start(record: RunRecord, inputs: SavedInputs | null, onError: (message: string) => void): RunRecorder {
    const r = new RunRecorder(record, onError);
    r.ready = r.write(async () => {
      if (inputs) await saveInputs(inputs);
      await putRun(r.record);
    });
    return r;
  }

  /** Takes over a saved run that continues from its checkpoint. */
  static resume(record: RunRecord, onError: (message: string) => void): RunRecorder {
    const r = new RunRecorder({ ...record, status: 'running', error: null, updatedAt: Date.now() }, onError);
    r.ready = r.write(() => putRun(r.record));
    return r;
  }

  /** False once a write failed: nothing more is saved for this run. */
  get saved(): boolean {
    return !this.broken;
  }

  get id(): string {
    return this.record.id;
  }

  /** The run changed; saved within SAVE_MS. */
  update(run: RunState): void {
    this.latest = run;
    if (recorderFaults.noPeriodicSaves) return;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flushState();
    }, SAVE_MS);
  }

  /** The worker is about to store a checkpoint: the chart history, which reaches its step, is saved first; resolves when stored. */
  saveState(run: RunState): Promise<void> {
    this.latest = run;
    return this.write(async () => {
      this.record = { ...this.record, state: savedState(run), updatedAt: Date.now() };
      await putRun(this.record);
    });
  }

  /** The worker stored a checkpoint at `step`: the chart history up to it is saved now; resolves when stored. */
  checkpointSaved(step: number, run: RunState): Promise<void> {
    this.latest = run;
    return this.write(async () => {
      this.record = { ...this.record, checkpointStep: step, state: savedState(run), updatedAt: Date.now() };
      await putRun(this.record);
    });
  }

  /** The worker could not store a checkpoint: reported like a failed write of the page's own. */
  checkpointFailed(message: string): Promise<void> {
    return this.write(() => Promise.reject(new Error(message)));
  }

  /** A finished run: record and files. */
  finish(run: RunState, artifacts: RunArtifacts): Promise<void> {
    this.stopTimer();
    return this.end(async () => {
      this.record = await saveFinished({ ...this.record, state: savedState(run), error: null }, artifacts);
    });
  }

  /** A run that stopped without files (cancelled, failed or interrupted); its checkpoint stays. */
  stop(status: Exclude<SavedStatus, 'running' | 'done'>, error: string | null, run: RunState): Promise<void> {
    this.stopTimer();
    return this.end(async () => {
      this.record = { ...this.record, status, error, state: savedState(run), updatedAt: Date.now() };
      await putRun(this.record);
    });
  }

  private flushState(): void {
    if (this.latest) void this.saveState(this.latest);
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async end(fn: () => Promise<void>): Promise<void> {
    await this.write(fn);
    this.releaseLock();
  }

  private write(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.broken) return;
      try {
        await fn();
      } catch (e) {
        this.broken = true;
        this.onError(`This run could not be saved in the browser's storage (${e instanceof Error ? e.message : String(e)}); it goes on, but it will not be in the run history.`);
      }
    });
    this.chain = next;
    return next;
  }
}
