/**
 * A budget's deadline that cannot hold the planned schedule at the pace training goes: the cosine follows the time
 * left, so training ends at the deadline with its learning rate decayed to zero and its last step scored, instead of
 * being cut off with the rate still high. The steps are slowed on purpose so the pace is known.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../core/events';
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
async function context(events: ProgressEvent[], slowMs: number): Promise<RunContext> {
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
    options: { ...opts, epochs: 6, batchSize: 2, evalsPerRun: 3, warmupEpochs: 0, earlyStopPatience: 0, augment: false },
    layers: found.map((k) => k.summary), kernels: found.map((k) => ({ variable: k.variable, shape: k.summary.shape })),
    logits, teacherLogits: makeLogitsFn(teacher).logits,
    calib: [...Array(16).keys()], heldOut: [16, 17, 18, 19, 20, 21, 22, 23],
    denseKernels: await readKernels(found.map((k) => ({ variable: k.variable, shape: k.summary.shape }))),
    denseHeldOutLogits: new Float32Array(0), rng: new Rng(3), hasBatchNorm: layersOfClass(model, 'BatchNormalization').length > 0,
  };
  ctx.denseHeldOutLogits = await predictLogits(ctx.teacherLogits, ds, ctx.heldOut, ctx.options.preprocess, 8, ctx.signal);
  return ctx;
}

async function train(slowMs: number, deadlineMs: number) {
  const events: ProgressEvent[] = [];
  const ctx = await context(events, slowMs);
  const targets = patternTargets(ctx.layers, ctx.options);
  const sparsities = ctx.layers.map(() => 0.6);
  applyOneShotMasks(ctx, targets, sparsities);
  const oneShot: Checkpoint = { metrics: await scoreHeldOut(ctx), step: -1, weights: snapshot(ctx.model) };
  const t0 = performance.now();
  const r = await runDst(ctx, targets, sparsities, oneShot, { everyMs: Infinity }, t0 + deadlineMs);
  const steps = events.flatMap((e) => (e.type === 'train-step' ? [e] : []));
  const evals = events.flatMap((e) => (e.type === 'eval' ? [e.step] : []));
  return { r, steps, evals, seconds: (performance.now() - t0) / 1000, events };
}

describe('training against a deadline', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('runs the whole planned schedule when it fits', async () => {
    const { r, steps, evals } = await train(0, 600_000);
    expect(r.steps).toBe(48);
    expect(r.stopped).toBeNull();
    expect(steps.at(-1)!.totalSteps).toBe(48);
    expect(evals).toEqual([16, 32, 48]);
  });

  it('follows the time left when the deadline cannot hold the plan: the rate reaches zero and the last step is scored', async () => {
    // 48 planned steps at 60 ms or more each (about 3 s) against a 1.5 s deadline.
    const { r, steps, evals, seconds } = await train(60, 1500);
    expect(r.steps).toBeLessThan(48);
    expect(r.steps).toBeGreaterThan(5);
    expect(r.stopped).toBe(`Stopped at step ${r.steps} of 48 to keep to the time budget; the learning rate followed the time left, so it had decayed to zero by then, and this last step was scored.`);
    const last = steps.at(-1)!;
    expect(last.step).toBe(r.steps);
    // The last steps ran at a rate well under a tenth of the peak, falling all along.
    expect(last.lr).toBeLessThan(0.1 * r.lr);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.lr).toBeLessThanOrEqual(steps[i - 1]!.lr);
    expect(evals.at(-1)).toBe(r.steps);
    // It ended at the deadline, one validation check past it at most.
    expect(seconds).toBeLessThan(1.5 + 1.5);
  });
});
