import { evolutionarySearch } from '../../core/search/evolution';
import { genomeToSparsities } from '../../core/search/genome';
import { searchEvaluations } from '../../core/budget/plan-budget';
import type { RunContext } from './context';
import { buildFitnessSetup, FitnessRunner } from './fitness';
import { heuristicTargets, type LayerTarget } from './plan';
import { PhaseProgress } from './progress';

export { applyOneShotMasks } from './fitness';

/** The chosen per-layer sparsities and how the choice went. */
export interface DistributionResult {
  sparsities: number[];
  history: { generation: number; best: number; mean: number }[];
  searchSeconds: number;
  /** Mean seconds from the start to the end of one fitness evaluation. */
  fitnessSeconds: number;
  /** Fitness evaluations that ran side by side (1: one at a time). */
  parallel: number;
}

/** Whether the run searches its distribution (unstructured, search, some layer free to choose). */
export function searches(ctx: RunContext, targets: LayerTarget[]): boolean {
  const o = ctx.options;
  return o.distribution === 'search' && o.pattern.kind !== 'nm' && targets.some((t) => t.mode === 'unstructured');
}

export { fitnessImagesOf } from './fitness-images';

/**
 * Chooses the per-layer sparsities: the UniPTS search, or a heuristic. `shouldStop` is asked
 * between generations (a time budget ends the search with the fittest genome so far). `runner`
 * evaluates genomes (side by side when it has workers); without one they are evaluated one at a
 * time on the run's model. The result is the same either way.
 */
export async function chooseDistribution(ctx: RunContext, targets: LayerTarget[], shouldStop?: () => boolean, runner?: FitnessRunner): Promise<DistributionResult> {
  const o = ctx.options;
  const free = targets.map((t, i) => (t.mode === 'unstructured' ? i : -1)).filter((i) => i >= 0);
  const t0 = performance.now();
  if (!searches(ctx, targets)) {
    const kind = o.distribution === 'search' ? 'uniform' : o.distribution;
    const sparsities = heuristicTargets(kind, ctx.layers, ctx.denseKernels, targets, o.sparsity);
    return { sparsities, history: [], searchSeconds: (performance.now() - t0) / 1000, fitnessSeconds: 0, parallel: 1 };
  }
  const own = runner ?? new FitnessRunner(ctx, await buildFitnessSetup(ctx, targets));
  const params = free.map((i) => ctx.layers[i]!.params);
  const toFull = (genome: number[]) => {
    const s = targets.map((t) => t.sparsity);
    genomeToSparsities(genome, params, o.sparsity, o.searchDelta).forEach((v, j) => (s[free[j]!] = v));
    return s;
  };
  // The progress bar's total: the most fitness calls the search can make (cached genomes make fewer).
  const upperBound = searchEvaluations(o.population, o.generations);
  const progress = new PhaseProgress(ctx.emit, 'search', upperBound);
  let evaluations = 0;
  let fitnessTime = 0;
  const fitness = async (genome: number[]) => {
    const f0 = performance.now();
    const f = await own.evaluate(toFull(genome));
    fitnessTime += performance.now() - f0;
    progress.tick(++evaluations);
    return f;
  };
  const parallel = own.width;
  if (parallel > 1) ctx.emit({ type: 'log', message: `Search: ${parallel} fitness evaluations side by side (this thread and ${parallel - 1} worker${parallel > 2 ? 's' : ''}).` });
  const result = await evolutionarySearch(
    {
      genes: free.length,
      population: o.population,
      generations: o.generations,
      parents: o.parents,
      mutationRate: o.mutationRate,
      crossoverRate: o.crossoverRate,
      seed: o.seed,
      concurrency: parallel,
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
  ).finally(() => (runner ? undefined : own.close()));
  progress.setTotal(evaluations);
  progress.tick(evaluations);
  return {
    sparsities: toFull(result.genome),
    history: result.history.map((h) => ({ generation: h.generation, best: h.best, mean: h.mean })),
    searchSeconds: (performance.now() - t0) / 1000,
    fitnessSeconds: evaluations > 0 ? fitnessTime / 1000 / evaluations : 0,
    parallel,
  };
}
