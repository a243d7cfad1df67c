import * as tf from '@tensorflow/tfjs';
import { describePlan, planBudget, type BudgetPlan, type RunCosts } from '../../core/budget/plan-budget';
import type { PruneOptions } from '../../core/options';
import { toTensor } from '../data/preprocess';
import { predictLogits } from '../eval/evaluate';
import { stepChunks } from '../train/step-memory';
import { MaskedTrainer } from '../train/masked-trainer';
import { evalBatch, recalibrate, type RunContext } from './context';
import { heuristicTargets, maskSpecOf, type LayerTarget } from './plan';
import { applyOneShotMasks, fitnessImagesOf, searches } from './search-stage';
import { disposeAll, restore, snapshot } from './weights';
import type { FitnessRunner } from './fitness';

/** Seconds the export phase is given in an estimate (sizes, gzip, a short latency check). */
const EXPORT_SECONDS = 5;
/** DST steps timed (the first one warms up kernels and is not counted). */
const TIMED_STEPS = 2;

/** A run's time budget: when it started, how long it may take, and the plan it was cut to. */
export interface Budget {
  /** performance.now() when the user's clock started (the run, or the CLI's start). */
  startedAt: number;
  seconds: number;
  costs: RunCosts;
  plan: BudgetPlan;
  /** Estimated seconds of the whole run (from `startedAt`) when it was planned. */
  estimatedSeconds: number;
}

/** Seconds since the budget's clock started. */
export function elapsed(b: Budget): number {
  return (performance.now() - b.startedAt) / 1000;
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

/**
 * Times the units a run is made of on the current backend: a fitness evaluation, a validation
 * evaluation and a DST step (each once to warm up, then measured). The model's weights are put
 * back afterwards.
 */
export async function measureCosts(ctx: RunContext, targets: LayerTarget[], testImages: number, search: boolean, runner?: FitnessRunner): Promise<RunCosts> {
  const o = ctx.options;
  const before = snapshot(ctx.model);
  try {
    const uniform = heuristicTargets('uniform', ctx.layers, ctx.denseKernels, targets, o.sparsity);
    applyOneShotMasks(ctx, targets, uniform);
    const images = fitnessImagesOf(ctx);
    // As the search runs it: the first call builds the kept noisy batches, the timed one re-uses them.
    const bnOnce = () => timed(() => recalibrate(ctx, o.seed + 29, search));
    const predictOnce = () => timed(() => predictLogits(ctx.logits, ctx.ds, images, o.preprocess, evalBatch(ctx), ctx.signal));
    // Once to warm up (kernels compile on first use), once measured.
    await bnOnce();
    await predictOnce();
    const bn = await bnOnce();
    const perImage = (await predictOnce()) / Math.max(images.length, 1);
    let fitness = search ? bn + perImage * images.length : 0;
    if (search && runner && runner.width > 1) fitness = await parallelFitness(ctx, runner, uniform, fitness);
    const evaluation = bn + perImage * ctx.heldOut.length;
    const step = await timeSteps(ctx, targets);
    // One-shot and final scoring are one evaluation each; the test set is scored three times.
    const fixed = 2 * evaluation + 3 * testImages * perImage + EXPORT_SECONDS;
    return { fitness, step, evaluation, fixed };
  } finally {
    restore(ctx.model, before);
    disposeAll(before);
  }
}

/**
 * Seconds per fitness evaluation when `runner` has workers: a round of `width` evaluations side
 * by side, timed after a round that warms the workers up, over `width`. Workers that do not beat
 * one evaluation at a time (`single` seconds) by 10% are stopped, and `single` is returned.
 */
async function parallelFitness(ctx: RunContext, runner: FitnessRunner, uniform: number[], single: number): Promise<number> {
  const width = runner.width;
  const round = () => timed(() => Promise.all(Array.from({ length: width }, () => runner.evaluate(uniform))));
  await round();
  const each = (await round()) / width;
  if (each < 0.9 * single) return each;
  await runner.dropWorkers();
  ctx.emit({ type: 'log', message: `Search: ${width} evaluations side by side took ${each.toFixed(2)} s each against ${single.toFixed(2)} s one at a time, so the workers are stopped.` });
  return single;
}

/** Mean seconds of a DST step at the run's batch size (a throwaway trainer at lr 0). */
async function timeSteps(ctx: RunContext, targets: LayerTarget[]): Promise<number> {
  const o = ctx.options;
  const trainer = new MaskedTrainer(
    ctx.model,
    ctx.kernels.map((k, i) => ({ variable: k.variable, spec: maskSpecOf(targets[i]!, ctx.layers[i]!.params, o.sparsity, o) })),
    { momentum: o.momentum, weightDecay: o.weightDecay, lambda: o.lambda },
  );
  try {
    const idx = ctx.calib.slice(0, o.batchSize);
    const { chunk } = stepChunks(ctx.model, o.batchSize, o.stepMemoryMB);
    let total = 0;
    for (let s = 0; s <= TIMED_STEPS; s++) {
      const t0 = performance.now();
      const loss = tf.tidy(() => {
        const x = toTensor(ctx.ds, idx, o.preprocess);
        return trainer.step({ x, teacherLogits: ctx.teacherLogits(x, false) }, (xx) => ctx.logits(xx, true), {
          kind: o.objective, temperature: o.temperature, tau: o.tau0, temperStudent: o.temperStudent,
        }, 0, 1, chunk);
      });
      await loss.data();
      loss.dispose();
      if (s > 0) total += (performance.now() - t0) / 1000;
    }
    return total / TIMED_STEPS;
  } finally {
    trainer.dispose();
  }
}

/** The options a budget allows, and the plan behind them; emits the plan as a log line. */
export async function planRun(ctx: RunContext, targets: LayerTarget[], testImages: number, startedAt: number, runner?: FitnessRunner): Promise<{ options: PruneOptions; budget: Budget }> {
  const o = ctx.options;
  const seconds = o.budgetMinutes * 60;
  const search = searches(ctx, targets);
  const costs = await measureCosts(ctx, targets, testImages, search, runner);
  const plan = planBudget({
    seconds: seconds - (performance.now() - startedAt) / 1000,
    costs,
    stepsPerEpoch: Math.max(1, Math.ceil(ctx.calib.length / o.batchSize)),
    search,
    full: o,
  });
  const budget: Budget = { startedAt, seconds, costs, plan, estimatedSeconds: (performance.now() - startedAt) / 1000 + plan.totalSeconds };
  const p = budget.plan;
  ctx.emit({
    type: 'plan',
    budgetSeconds: seconds,
    text: describePlan(p, search),
    population: p.population, generations: p.generations, epochs: p.epochs, evalsPerRun: p.evalsPerRun,
    estimatedSeconds: budget.estimatedSeconds,
    costs,
  });
  return { options: { ...o, population: p.population, generations: p.generations, parents: p.parents, epochs: p.epochs, evalsPerRun: p.evalsPerRun }, budget };
}
