/**
 * The one store of the page. Plain (vanilla) so the worker's owners can update it outside React;
 * components read it through `useStudio` with a selector.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { EXAMPLES, PRESETS, type Example, type PresetName, type Preprocess, type PruneOptions } from '../core/options';
import type { BackendInfo, DatasetSummary, ModelSummary, RunArtifacts, WorkerMemory } from '../core/session-types';
import type { RunRecord } from './persist/db';
import { idleRun, type RunState } from './run-state';

/** The page shown: the studio, or the saved runs side by side. */
export type View = 'studio' | 'runs';

export type WorkerStatus = 'starting' | 'ready' | 'restarting' | 'failed';

/** What an input error is about: the drop zone it came from. */
export type InputTopic = 'model' | 'images' | 'test-images';

/**
 * What an error is about. A later success at the same thing clears it (a valid model clears a
 * bad model's error), and it shows only on the page it concerns: run-history errors on Runs,
 * the worker's on every page, the rest on the studio.
 */
export type ErrorTopic = InputTopic | 'run' | 'history' | 'worker';

/** An error shown in the banner until dismissed or made stale by a later success. */
export interface Banner {
  id: number;
  message: string;
  topic: ErrorTopic;
}

export interface StudioState {
  worker: WorkerStatus;
  backend: BackendInfo | null;
  /** Backend the user asked for (?backend= or the header's choice); null: the fastest in the start-up probe. */
  backendChoice: string | null;
  model: ModelSummary | null;
  /** Where the model came from, e.g. "CIFAR-10 demo" or "3 dropped files". */
  modelSource: string | null;
  dataset: DatasetSummary | null;
  datasetSource: string | null;
  /** Test images: scored once at the end of a run, never used for a choice. */
  testSet: DatasetSummary | null;
  testSource: string | null;
  /** Work in progress outside a run, oldest first; several can overlap (a download, then a worker call). */
  tasks: BusyTask[];
  /** What the newest task says ("Reading the model…"), or null when idle. */
  busy: string | null;
  /** Friendly, non-error information (e.g. the demo is not installed). */
  notice: string | null;
  options: PruneOptions;
  /** The preset the options equal, or null once edited. */
  preset: PresetName | null;
  run: RunState;
  errors: Banner[];
  /** What the worker's TF.js held after the last run ended (null before the first). */
  workerMemory: WorkerMemory | null;
  view: View;
  /** Saved runs, newest first (null until read from storage). */
  runs: RunRecord[] | null;
}

export const studio = createStore<StudioState>()(() => ({
  worker: 'starting',
  backend: null,
  backendChoice: new URLSearchParams(globalThis.location?.search ?? '').get('backend'),
  model: null,
  modelSource: null,
  dataset: null,
  datasetSource: null,
  testSet: null,
  testSource: null,
  tasks: [],
  busy: null,
  notice: null,
  options: { ...PRESETS.quick, ...EXAMPLES.demo },
  // The demo's own learning rate departs from the quick preset, so the page says "custom".
  preset: null,
  run: idleRun,
  errors: [],
  workerMemory: null,
  view: 'studio',
  runs: null,
}));

/** Reads a slice of the store; re-renders only when the selected value changes. */
export function useStudio<T>(selector: (s: StudioState) => T): T {
  return useStore(studio, selector);
}

let nextBannerId = 1;

export function reportError(topic: ErrorTopic, message: string): void {
  studio.setState((s) => ({ errors: [...s.errors, { id: nextBannerId++, message, topic }] }));
}

/** The errors without those about `topics` (a later success made them stale). */
function without(errors: Banner[], ...topics: ErrorTopic[]): Banner[] {
  return errors.some((b) => topics.includes(b.topic)) ? errors.filter((b) => !topics.includes(b.topic)) : errors;
}

/** Forgets the errors about `topic`: what they were about has since gone well. */
export function clearErrors(topic: ErrorTopic): void {
  studio.setState((s) => ({ errors: without(s.errors, topic) }));
}

/** Whether an error about `topic` belongs on `view`. */
export function showsOn(topic: ErrorTopic, view: View): boolean {
  return topic === 'worker' || (topic === 'history') === (view === 'runs');
}

export function dismissError(id: number): void {
  studio.setState((s) => ({ errors: s.errors.filter((b) => b.id !== id) }));
}

export interface BusyTask {
  id: number;
  label: string;
}

let nextTaskId = 1;

function setTasks(tasks: BusyTask[]): void {
  studio.setState({ tasks, busy: tasks[tasks.length - 1]?.label ?? null });
}

/** Marks the page busy until `endBusy(id)`; returns the id. */
export function beginBusy(label: string): number {
  const id = nextTaskId++;
  setTasks([...studio.getState().tasks, { id, label }]);
  return id;
}

export function updateBusy(id: number, label: string): void {
  const tasks = studio.getState().tasks;
  if (tasks.some((t) => t.id === id)) setTasks(tasks.map((t) => (t.id === id ? { id, label } : t)));
}

export function endBusy(id: number): void {
  setTasks(studio.getState().tasks.filter((t) => t.id !== id));
}

/** Forgets every task (the worker they waited on is gone). */
export function clearBusy(): void {
  setTasks([]);
}

export function setNotice(notice: string | null): void {
  studio.setState({ notice });
}

export function setWorkerMemory(workerMemory: WorkerMemory | null): void {
  studio.setState({ workerMemory });
}

export function setWorker(worker: WorkerStatus, backend?: BackendInfo): void {
  studio.setState(backend ? { worker, backend } : { worker });
}

/** The next worker starts on `name` (null: the fastest); the worker client restarts it. */
export function setBackendChoice(name: string | null): void {
  studio.setState({ backendChoice: name });
}

/** A new model brings its normalisation (the user can still change it); `preprocess` overrides the guess. */
export function setModel(model: ModelSummary, source: string, preprocess?: Preprocess): void {
  studio.setState((s) => ({
    model,
    modelSource: source,
    options: { ...s.options, preprocess: preprocess ?? model.suggestedPreprocess },
    errors: without(s.errors, 'model'),
  }));
}

/** Images read (or forgotten: null); images read clear the errors of earlier images. */
export function setDataset(dataset: DatasetSummary | null, source: string | null): void {
  studio.setState((s) => ({ dataset, datasetSource: source, errors: dataset ? without(s.errors, 'images') : s.errors }));
}

export function setTestSet(testSet: DatasetSummary | null, source: string | null): void {
  studio.setState((s) => ({ testSet, testSource: source, errors: testSet ? without(s.errors, 'test-images') : s.errors }));
}

export function updateOptions(patch: Partial<PruneOptions>): void {
  studio.setState((s) => ({ options: { ...s.options, ...patch }, preset: null }));
}

/** Preprocessing belongs to the data, not the recipe: it leaves the preset as it is. */
export function updatePreprocess(preprocess: Preprocess): void {
  studio.setState((s) => ({ options: { ...s.options, preprocess } }));
}

/** Applies a preset's recipe; the goal (sparsity, pattern) and the preprocessing stay: they belong to the user and the data. */
export function applyPreset(name: PresetName): void {
  studio.setState((s) => ({ options: { ...PRESETS[name], sparsity: s.options.sparsity, pattern: s.options.pattern, preprocess: s.options.preprocess }, preset: name }));
}

/** A built-in example's starting point: the quick preset with the example's goal and rate (hence "custom"). */
export function applyExample(example: Example): void {
  studio.setState((s) => ({ options: { ...PRESETS.quick, ...example, preprocess: s.options.preprocess }, preset: null }));
}

/** The live run as its owner (src/ui/worker/run-owner.ts) has it now. */
export function showRun(run: RunState): void {
  studio.setState({ run });
}

/** A saved run taken up again: its state, its own settings, on the studio page. */
export function showResumedRun(run: RunState, options: PruneOptions): void {
  studio.setState({ run, options, preset: null, view: 'studio' });
}

/** Shows a saved run in the studio (charts, result, downloads) without running anything. */
export function openRun(record: RunRecord, artifacts: RunArtifacts | null): void {
  studio.setState((s) => ({
    run: { ...record.state, id: record.id, modelName: record.modelName, status: record.status, error: record.error, artifacts },
    view: 'studio',
    errors: without(s.errors, 'history'),
  }));
}

export function setView(view: View): void {
  studio.setState({ view });
}

export function setRuns(runs: RunRecord[]): void {
  studio.setState({ runs });
}
