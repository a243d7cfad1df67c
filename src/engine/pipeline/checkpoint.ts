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

/** Throws a clear error when `c` cannot continue a run of these settings on these inputs. */
export function checkResume(c: RunCheckpoint, o: PruneOptions, keys: { model: string; images: string }): void {
  if (c.version !== 1) throw new InputError(null, `This checkpoint was written by another version of the studio (format ${String(c.version)}); start the run again.`);
  if (c.modelKey !== keys.model) throw new InputError(null, 'This checkpoint belongs to another model: load the model the run was started with.');
  if (c.imagesKey !== keys.images) throw new InputError(null, 'This checkpoint belongs to another image set: load the images the run was started with.');
  if (canonical(c.options) !== canonical(o)) throw new InputError(null, 'A resumed run keeps its settings: resume with the settings it was started with.');
}
