import { evolutionarySearch } from '../../core/search/evolution';
import { genomeToSparsities } from '../../core/search/genome';
import { scoreLogits } from '../../core/metrics/score';
import type { Metrics } from '../../core/events';
import { Rng } from '../../core/rng';
import { labelsOf, predictLogits } from '../eval/evaluate';
import { evalBatch, reestimate, type RunContext } from './context';
import { heuristicTargets, maskSpecOf, type LayerTarget } from './plan';
import { PhaseProgress } from './progress';
import { hostMask, writeMasked } from './weights';

/** The chosen per-layer sparsities and how the choice went. */
export interface DistributionResult {
  sparsities: number[];
  history: { generation: number; best: number; mean: number }[];
  searchSeconds: number;
  fitnessSeconds: number;
}

/** Applies magnitude (or N:M) masks at `sparsities` to the dense weights. */
export function applyOneShotMasks(ctx: RunContext, targets: LayerTarget[], sparsities: number[]): Uint8Array[] {
  const masks = ctx.kernels.map((k, i) =>
    hostMask(ctx.denseKernels[i]!, k.shape, maskSpecOf(targets[i]!, ctx.layers[i]!.params, sparsities[i]!, ctx.options)),
  );
  writeMasked(ctx.kernels, ctx.denseKernels, masks);
  return masks;
}

/** The search's fitness from metrics on calibration images (docs/method.md section 2). */
function fitnessOf(m: Metrics, ctx: RunContext): number {
  // A KL term far below one image's worth of accuracy breaks ties between equal top-1 counts.
  const tieBreak = -1e-4 * m.kl;
  if (m.top1 !== undefined) return m.top1 + tieBreak;
  return ctx.options.unlabelledFitness === 'neg-kl' ? -m.kl : m.agreement + tieBreak;
}

/** Whether the run searches its distribution (unstructured, search, some layer free to choose). */
export function searches(ctx: RunContext, targets: LayerTarget[]): boolean {
  const o = ctx.options;
  return o.distribution === 'search' && o.pattern.kind !== 'nm' && targets.some((t) => t.mode === 'unstructured');
}

/** The calibration images a fitness evaluation scores: a seeded subset of `fitnessImages`, 0 = all. */
export function fitnessImagesOf(ctx: RunContext): number[] {
  const o = ctx.options;
  const subset = new Rng(o.seed + 17).shuffle([...ctx.calib]);
  return o.fitnessImages > 0 ? subset.slice(0, o.fitnessImages) : subset;
}

/**
 * Chooses the per-layer sparsities: the UniPTS search, or a heuristic. `shouldStop` is asked
 * between generations (a time budget ends the search with the fittest genome so far).
 */
export async function chooseDistribution(ctx: RunContext, targets: LayerTarget[], shouldStop?: () => boolean): Promise<DistributionResult> {
  const o = ctx.options;
  const free = targets.map((t, i) => (t.mode === 'unstructured' ? i : -1)).filter((i) => i >= 0);
  const t0 = performance.now();
  if (!searches(ctx, targets)) {
    const kind = o.distribution === 'search' ? 'uniform' : o.distribution;
    const sparsities = heuristicTargets(kind, ctx.layers, ctx.denseKernels, targets, o.sparsity);
    return { sparsities, history: [], searchSeconds: (performance.now() - t0) / 1000, fitnessSeconds: 0 };
  }
  const images = fitnessImagesOf(ctx);
  const dense = await predictLogits(ctx.teacherLogits, ctx.ds, images, o.preprocess, evalBatch(ctx), ctx.signal);
  const labels = labelsOf(ctx.ds, images);
  const params = free.map((i) => ctx.layers[i]!.params);
  const toFull = (genome: number[]) => {
    const s = targets.map((t) => t.sparsity);
    genomeToSparsities(genome, params, o.sparsity, o.searchDelta).forEach((v, j) => (s[free[j]!] = v));
    return s;
  };
  const upperBound = o.population + o.generations * Math.max(o.population - o.parents, 1);
  const progress = new PhaseProgress(ctx.emit, 'search', upperBound);
  let evaluations = 0;
  let fitnessTime = 0;
  const fitness = async (genome: number[]) => {
    const f0 = performance.now();
    applyOneShotMasks(ctx, targets, toFull(genome));
    // The same BN batches and noise for every genome keep the comparison fair.
    await reestimate(ctx, o.seed + 29);
    const z = await predictLogits(ctx.logits, ctx.ds, images, o.preprocess, evalBatch(ctx), ctx.signal);
    fitnessTime += performance.now() - f0;
    progress.tick(++evaluations);
    return fitnessOf(scoreLogits(z, dense, ctx.classes, labels), ctx);
  };
  const result = await evolutionarySearch(
    {
      genes: free.length,
      population: o.population,
      generations: o.generations,
      parents: o.parents,
      mutationRate: o.mutationRate,
      crossoverRate: o.crossoverRate,
      seed: o.seed,
      ...(shouldStop ? { shouldStop } : {}),
    },
    fitness,
    (g) =>
      ctx.emit({
        type: 'search-generation',
        generation: g.generation,
        generations: o.generations,
        best: g.best,
        mean: g.mean,
        sparsities: toFull(g.bestGenome),
      }),
    ctx.signal,
  );
  progress.setTotal(evaluations);
  progress.tick(evaluations);
  return {
    sparsities: toFull(result.genome),
    history: result.history.map((h) => ({ generation: h.generation, best: h.best, mean: h.mean })),
    searchSeconds: (performance.now() - t0) / 1000,
    fitnessSeconds: evaluations > 0 ? fitnessTime / 1000 / evaluations : 0,
  };
}
