/**
 * The layout of the studio's IndexedDB, shared by the page (runs, files, inputs) and the worker
 * (checkpoints, written where they are made). Plain data: each side opens the database with
 * `idb` and its own typed view of these stores.
 */

export const STUDIO_DB_NAME = 'pts-studio';
export const STUDIO_DB_VERSION = 1;

/** The fields of a saved run that belong to its checkpoint; only the checkpoint's writer sets them (and the finished run clears them). */
export interface CheckpointFields {
  /** Key of the run. */
  id: string;
  /** Training step of the saved checkpoint (0: before training), or null when there is none. */
  checkpointStep: number | null;
  /** Size of the saved checkpoint. */
  checkpointBytes: number;
  /** When the record last changed, ms since the epoch. */
  updatedAt: number;
}

/** What `createStudioStores` needs of an opening database (idb's and the browser's both fit). */
interface Creatable {
  createObjectStore(name: string, options?: { keyPath: string }): { createIndex(name: string, keyPath: string): unknown };
}

/** Creates the stores of version 1: runs (by id, indexed by creation time), artifacts, checkpoints (keyed by run id), inputs (by id). */
export function createStudioStores(d: Creatable): void {
  d.createObjectStore('runs', { keyPath: 'id' }).createIndex('byCreated', 'createdAt');
  d.createObjectStore('artifacts');
  d.createObjectStore('checkpoints');
  d.createObjectStore('inputs', { keyPath: 'id' });
}
