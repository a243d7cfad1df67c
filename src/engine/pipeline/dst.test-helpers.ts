/** A DST run on the pipeline tests' CNN with random images, for tests of the training loop (Node, cpu backend). */
import type { ProgressEvent } from '../../core/events';
import type { PruneOptions } from '../../core/options';
import { Rng } from '../../core/rng';
import { randomImages } from '../../node/fitness.test-helpers';
import { findPrunableKernels } from '../model/prunable';
import { makeLogitsFn } from '../model/logits';
import { predictLogits, type LogitsFn } from '../eval/evaluate';
import { layersOfClass } from '../model/walk';
import { scoreHeldOut, type RunContext } from './context';
import { runDst, type Checkpoint } from './dst-stage';
import { opts, cnn } from './pipeline.test-helpers';
import { patternTargets } from './plan';
import { applyOneShotMasks } from './search-stage';
import { readKernels, snapshot } from './weights';

/** A run context on the pipeline tests' CNN and 24 random images (16 calibrate: 8 steps an epoch at batch 2). */
async function context(events: ProgressEvent[], slowMs: number, extra: Partial<PruneOptions>): Promise<RunContext> {
  const model = cnn();
  const teacher = cnn();
  const found = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false });
  const ds = randomImages(model, 24, 4);
  const base = makeLogitsFn(model).logits;
  // Every student pass waits `slowMs` first: a known pace.
  const logits: LogitsFn = (x, training) => {
    const until = performance.now() + slowMs;
    while (performance.now() < until);
    return base(x, training);
  };
  const ctx: RunContext = {
    model, teacher, ds, classes: 4, warnings: [], emit: (e) => events.push(e), signal: new AbortController().signal,
    options: { ...opts, epochs: 6, batchSize: 2, evalsPerRun: 3, warmupEpochs: 0, earlyStopPatience: 0, augment: false, ...extra },
    layers: found.map((k) => k.summary), kernels: found.map((k) => ({ variable: k.variable, shape: k.summary.shape })),
    logits, teacherLogits: makeLogitsFn(teacher).logits,
    calib: [...Array(16).keys()], heldOut: [16, 17, 18, 19, 20, 21, 22, 23],
    denseKernels: await readKernels(found.map((k) => ({ variable: k.variable, shape: k.summary.shape }))),
    denseHeldOutLogits: new Float32Array(0), rng: new Rng(3), hasBatchNorm: layersOfClass(model, 'BatchNormalization').length > 0,
  };
  ctx.denseHeldOutLogits = await predictLogits(ctx.teacherLogits, ds, ctx.heldOut, ctx.options.preprocess, 8, ctx.signal);
  return ctx;
}

/** DST from the one-shot model at 60% per layer; each student pass waits `slowMs`; `deadlineMs` from now; a re-plan may reach `longest` epochs. */
export async function train(slowMs: number, deadlineMs: number, extra: Partial<PruneOptions> = {}, longest = 0) {
  const events: ProgressEvent[] = [];
  const ctx = await context(events, slowMs, extra);
  const targets = patternTargets(ctx.layers, ctx.options);
  const sparsities = ctx.layers.map(() => 0.6);
  applyOneShotMasks(ctx, targets, sparsities);
  const oneShot: Checkpoint = { metrics: await scoreHeldOut(ctx), step: -1, weights: snapshot(ctx.model) };
  const t0 = performance.now();
  const r = await runDst(ctx, targets, sparsities, oneShot, { everyMs: Infinity }, t0 + deadlineMs, null, longest);
  const steps = events.flatMap((e) => (e.type === 'train-step' ? [e] : []));
  const evals = events.flatMap((e) => (e.type === 'eval' ? [e.step] : []));
  return { r, steps, evals, seconds: (performance.now() - t0) / 1000, events };
}

