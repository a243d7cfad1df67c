/**
 * Writing and checking run checkpoints (src/core/checkpoint.ts): what the pipeline hands to its
 * caller as it goes, and the guard that a resume continues the same run on the same inputs.
 */
import type { RunCheckpoint, SavedCheckpoint, TrainProgress } from '../../core/checkpoint';
import type { PruneOptions } from '../../core/options';
import { InputError } from '../errors';
import { toTensorDataAll } from '../tensor-data';
import type { Checkpoint } from './dst-stage';

/** Saves the run's state; `progress` is null before the first training step. */
export type SaveCheckpoint = (progress: TrainProgress | null, best: Checkpoint) => Promise<void>;

/**
 * A saver for one run: `base` holds what does not change after the one-shot phase; the best
 * checkpoint's weights are read once per new best, not at every save.
 */
export function makeCheckpoint(base: RunCheckpoint, sink: (c: RunCheckpoint) => void | Promise<void>): SaveCheckpoint {
  let bestOf: Checkpoint | null = null;
  let bestData: SavedCheckpoint | null = null;
  return async (progress, best) => {
    if (best.step < 0) bestData = null;
    else if (best !== bestOf) bestData = { metrics: best.metrics, step: best.step, weights: await toTensorDataAll(best.weights) };
    bestOf = best;
    await sink({ ...base, best: bestData, train: progress, createdAt: new Date().toISOString() });
  };
}

/** Options as canonical JSON (key order does not matter). */
function canonical(o: PruneOptions): string {
  return JSON.stringify(o, Object.keys(o).sort());
}

/** Settings that only training reads: a checkpoint taken before the first step may change them. */
const TRAINING_ONLY: readonly (keyof PruneOptions)[] = ['batchSize'];

/** Throws a clear error when `c` cannot continue a run of these settings on these inputs. */
export function checkResume(c: RunCheckpoint, o: PruneOptions, keys: { model: string; images: string }): void {
  if (c.version !== 1) throw new InputError(null, `This checkpoint was written by another version of the studio (format ${String(c.version)}); start the run again.`);
  if (c.modelKey !== keys.model) throw new InputError(null, 'This checkpoint belongs to another model: load the model the run was started with.');
  if (c.imagesKey !== keys.images) throw new InputError(null, 'This checkpoint belongs to another image set: load the images the run was started with.');
  // Before the first training step, the batch may change (a smaller one after running out of memory).
  const comparable = (x: PruneOptions) => (c.train === null ? { ...x, ...Object.fromEntries(TRAINING_ONLY.map((k) => [k, 0])) } : x);
  if (canonical(comparable(c.options)) !== canonical(comparable(o))) {
    throw new InputError(null, `A resumed run keeps its settings: resume with the settings it was started with${c.train === null ? ' (only the batch size may change before training has begun)' : ''}.`);
  }
}
