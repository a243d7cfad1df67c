/**
 * Reading and writing saved runs on the page; each function is one IndexedDB transaction or a
 * few. Checkpoints are the worker's (workers/checkpoint-store.ts): the page never writes them.
 */
import type { RunArtifacts } from '../../core/session-types';
import { studioDb, type RunRecord, type SavedInputs } from './db';

/** Every saved run, newest first. */
export async function listRuns(): Promise<RunRecord[]> {
  const all = await (await studioDb()).getAllFromIndex('runs', 'byCreated');
  return all.reverse();
}

export async function getRun(id: string): Promise<RunRecord | undefined> {
  return (await studioDb()).get('runs', id);
}

/** Saves the record; its checkpoint fields stay as the checkpoint's writer left them. */
export async function putRun(record: RunRecord): Promise<void> {
  const tx = (await studioDb()).transaction('runs', 'readwrite');
  const saved = await tx.store.get(record.id);
  const checkpoint = saved ? { checkpointStep: saved.checkpointStep, checkpointBytes: saved.checkpointBytes } : {};
  await Promise.all([tx.store.put({ ...record, ...checkpoint }), tx.done]);
}

export async function getArtifacts(id: string): Promise<RunArtifacts | undefined> {
  return (await studioDb()).get('artifacts', id);
}

export async function getInputs(id: string): Promise<SavedInputs | undefined> {
  return (await studioDb()).get('inputs', id);
}

/** Saves inputs unless inputs with the same key are already saved. */
export async function saveInputs(inputs: SavedInputs): Promise<void> {
  const d = await studioDb();
  if (!(await d.getKey('inputs', inputs.id))) await d.put('inputs', inputs);
}

/** A finished run: its files saved, its checkpoint no longer needed. */
export async function saveFinished(record: RunRecord, artifacts: RunArtifacts): Promise<RunRecord> {
  const next: RunRecord = { ...record, status: 'done', hasArtifacts: true, checkpointStep: null, checkpointBytes: 0, updatedAt: Date.now() };
  const tx = (await studioDb()).transaction(['runs', 'artifacts', 'checkpoints'], 'readwrite');
  await Promise.all([
    tx.objectStore('artifacts').put(artifacts, record.id),
    tx.objectStore('checkpoints').delete(record.id),
    tx.objectStore('runs').put(next),
    tx.done,
  ]);
  return next;
}

/** Deletes a run with its files and checkpoint, and its inputs when no other run uses them. */
export async function deleteRun(id: string): Promise<void> {
  const d = await studioDb();
  const record = await d.get('runs', id);
  const tx = d.transaction(['runs', 'artifacts', 'checkpoints', 'inputs'], 'readwrite');
  const runs = tx.objectStore('runs');
  await Promise.all([runs.delete(id), tx.objectStore('artifacts').delete(id), tx.objectStore('checkpoints').delete(id)]);
  if (record && !(await runs.getAll()).some((r) => r.inputsId === record.inputsId)) await tx.objectStore('inputs').delete(record.inputsId);
  await tx.done;
}

/**
 * At page start: runs still marked running belonged to a page that is gone (closed, reloaded,
 * crashed), so they are interrupted. Returns the runs, newest first.
 */
export async function recoverRuns(): Promise<RunRecord[]> {
  const runs = await listRuns();
  const live = await liveRunIds();
  const out: RunRecord[] = [];
  for (const r of runs) {
    if (r.status !== 'running' || live.has(r.id)) {
      out.push(r);
      continue;
    }
    const error = 'The page was closed or reloaded while the run was going.';
    const next: RunRecord = { ...r, status: 'interrupted', error, state: { ...r.state, status: 'interrupted', error } };
    await putRun(next);
    out.push(next);
  }
  return out;
}

const LOCK_PREFIX = 'pts-studio-run-';

/** Holds a lock named after the run until `release` is called: other tabs then know it is alive. */
export function holdRunLock(id: string): () => void {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  void navigator.locks?.request(LOCK_PREFIX + id, () => held).catch(() => undefined);
  return release;
}

/** Runs whose lock some open tab holds. */
async function liveRunIds(): Promise<Set<string>> {
  const state = await navigator.locks?.query().catch(() => null);
  const names = (state?.held ?? []).map((l) => l.name ?? '');
  return new Set(names.filter((n) => n.startsWith(LOCK_PREFIX)).map((n) => n.slice(LOCK_PREFIX.length)));
}
