import { Rng } from '../../core/rng';
import type { RunContext } from './context';

/** The calibration images a fitness evaluation scores: a seeded subset of `fitnessImages`, 0 = all. */
export function fitnessImagesOf(ctx: Pick<RunContext, 'options' | 'calib'>): number[] {
  const o = ctx.options;
  const subset = new Rng(o.seed + 17).shuffle([...ctx.calib]);
  return o.fitnessImages > 0 ? subset.slice(0, o.fitnessImages) : subset;
}
