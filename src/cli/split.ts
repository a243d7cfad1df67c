import { Rng } from '../core/rng';
import { splitHeldOut } from '../engine/data/dataset';
import type { PruneCommand } from './args';

/**
 * Calibration / validation indices for the CLI: images under eval/ are the validation set when a
 * --val-images folder was given, else a seeded stratified split; --calib-count then keeps a
 * seeded subset of the calibration images. Null leaves the split to the pipeline.
 */
export function cliSplit(
  paths: readonly string[],
  labels: Int32Array | null,
  cmd: Pick<PruneCommand, 'valImages' | 'calibCount' | 'options'>,
): { calib: number[]; heldOut: number[] } | null {
  if (!cmd.valImages && cmd.calibCount <= 0) return null;
  let split: { calib: number[]; heldOut: number[] };
  if (cmd.valImages) {
    const idx = paths.map((_, i) => i);
    split = { calib: idx.filter((i) => paths[i]!.startsWith('calib/')), heldOut: idx.filter((i) => paths[i]!.startsWith('eval/')) };
  } else {
    split = splitHeldOut(paths.length, cmd.options.heldOut, cmd.options.seed, labels);
  }
  if (cmd.calibCount > 0 && cmd.calibCount < split.calib.length) {
    split.calib = new Rng(cmd.options.seed + 7).shuffle([...split.calib]).slice(0, cmd.calibCount).sort((a, b) => a - b);
  }
  return split;
}
