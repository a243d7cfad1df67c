/**
 * What `--resume <out dir>` continues from: the run's inputs (resume.json) and its latest
 * checkpoint (checkpoint.v8, Node's structured serialisation, which keeps typed arrays as they
 * are). The checkpoint is written after the one-shot phase, so a run that dies in training keeps
 * its search, and then during training.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { RunCheckpoint } from '../core/checkpoint';
import type { PruneCommand } from './args';

/** The inputs of a run, as given on its command line (`unlabelled` absent in files written before it was kept). */
export type ResumeInputs = Pick<PruneCommand, 'model' | 'images' | 'valImages' | 'testImages' | 'classList' | 'calibCount'> & Partial<Pick<PruneCommand, 'unlabelled'>>;

export const CHECKPOINT_FILE = 'checkpoint.v8';
export const INPUTS_FILE = 'resume.json';

/** Writes the checkpoint whole or not at all (a crash mid-write leaves the previous one). */
export async function writeCheckpoint(out: string, c: RunCheckpoint): Promise<void> {
  const tmp = join(out, `${CHECKPOINT_FILE}.tmp`);
  await writeFile(tmp, serialize(c));
  await rename(tmp, join(out, CHECKPOINT_FILE));
}

export async function writeInputs(out: string, inputs: ResumeInputs): Promise<void> {
  await writeFile(join(out, INPUTS_FILE), JSON.stringify(inputs, null, 2));
}

/** The saved inputs and checkpoint of `dir`; an Error naming the missing file otherwise. */
export async function readResume(dir: string): Promise<{ inputs: ResumeInputs; checkpoint: RunCheckpoint }> {
  for (const f of [INPUTS_FILE, CHECKPOINT_FILE]) {
    if (!existsSync(join(dir, f))) throw new Error(`--resume ${dir}: no ${f} there (it is written once a run's one-shot phase ends)`);
  }
  const inputs = JSON.parse(await readFile(join(dir, INPUTS_FILE), 'utf8')) as ResumeInputs;
  let checkpoint: RunCheckpoint;
  try {
    checkpoint = deserialize(await readFile(join(dir, CHECKPOINT_FILE))) as RunCheckpoint;
  } catch (e) {
    throw new Error(`--resume ${dir}: ${CHECKPOINT_FILE} cannot be read (${e instanceof Error ? e.message : String(e)}); start the run again`);
  }
  return { inputs, checkpoint };
}
