/**
 * The worker's side of the studio's IndexedDB: a run's checkpoints are written here, where they
 * are made, instead of crossing to the page first. The page's side is src/ui/persist/.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { checkpointBytes, type RunCheckpoint } from '../src/core/checkpoint';
import { createStudioStores, STUDIO_DB_NAME, STUDIO_DB_VERSION, type CheckpointFields } from '../src/core/studio-db-layout';

/** The stores the worker touches; a run record's other fields are the page's and pass through unchanged. */
interface CheckpointDb extends DBSchema {
  runs: { key: string; value: CheckpointFields };
  checkpoints: { key: string; value: RunCheckpoint };
}

let db: Promise<IDBPDatabase<CheckpointDb>> | null = null;

function checkpointDb(): Promise<IDBPDatabase<CheckpointDb>> {
  db ??= openDB<CheckpointDb>(STUDIO_DB_NAME, STUDIO_DB_VERSION, { upgrade: (d) => createStudioStores(d as unknown as IDBPDatabase) });
  return db;
}

/**
 * Saves run `runId`'s newest checkpoint (replacing the one before) and notes its step and size
 * in the run's record, in one transaction. Returns the step.
 */
export async function saveCheckpoint(runId: string, c: RunCheckpoint): Promise<number> {
  const step = c.train?.step ?? 0;
  const tx = (await checkpointDb()).transaction(['runs', 'checkpoints'], 'readwrite');
  const runs = tx.objectStore('runs');
  const record = await runs.get(runId);
  if (!record) throw new Error(`run ${runId} has no saved record`);
  await Promise.all([
    tx.objectStore('checkpoints').put(c, runId),
    runs.put({ ...record, checkpointStep: step, checkpointBytes: checkpointBytes(c), updatedAt: Date.now() }),
    tx.done,
  ]);
  return step;
}

/** The saved checkpoint of run `runId`, or undefined when it has none. */
export async function loadCheckpoint(runId: string): Promise<RunCheckpoint | undefined> {
  return (await checkpointDb()).get('checkpoints', runId);
}
