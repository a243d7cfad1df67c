/**
 * The page's view of the studio's IndexedDB (through `idb`): runs with their chart history,
 * finished runs' files, the latest checkpoint of each run (written by the worker), and the
 * inputs a run needs to be resumed after a reload.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RunCheckpoint } from '../../core/checkpoint';
import { createStudioStores, STUDIO_DB_NAME, STUDIO_DB_VERSION, type CheckpointFields } from '../../core/studio-db-layout';
import type { Preprocess, PruneOptions } from '../../core/options';
import type { RunArtifacts } from '../../core/session-types';
import type { RunState } from '../run-state';

/** A run's status as saved; `interrupted` runs stopped without the user asking. */
export type SavedStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** One run as the history page lists it. */
export interface RunRecord extends CheckpointFields {
  createdAt: number;
  status: SavedStatus;
  /** Why it failed or was interrupted. */
  error: string | null;
  modelName: string;
  modelSource: string;
  datasetSource: string;
  imageCount: number;
  options: PruneOptions;
  backend: string;
  /** Key of the saved inputs (shared by runs of the same model and images). */
  inputsId: string;
  /** The run as the charts and result panel show it (without the files). */
  state: Omit<RunState, 'artifacts'>;
  hasArtifacts: boolean;
}

/** A file as kept for a later resume. */
export interface SavedFile {
  path: string;
  blob: Blob;
}

/** The model and images a run was started with. */
export interface SavedInputs {
  id: string;
  modelSource: string;
  model: SavedFile[];
  imagesSource: string;
  images: SavedFile[];
  /** Class names of the images, and the model's own (for images that bring none). */
  classList?: string[];
  modelClassList?: string[];
  preprocess: Preprocess;
}

interface StudioDb extends DBSchema {
  runs: { key: string; value: RunRecord; indexes: { byCreated: number } };
  artifacts: { key: string; value: RunArtifacts };
  checkpoints: { key: string; value: RunCheckpoint };
  inputs: { key: string; value: SavedInputs };
}

let db: Promise<IDBPDatabase<StudioDb>> | null = null;

/** The database, opened (and created or upgraded) on first use. */
export function studioDb(): Promise<IDBPDatabase<StudioDb>> {
  db ??= openDB<StudioDb>(STUDIO_DB_NAME, STUDIO_DB_VERSION, { upgrade: (d) => createStudioStores(d as unknown as IDBPDatabase) });
  return db;
}
