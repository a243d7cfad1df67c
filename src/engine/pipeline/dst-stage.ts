import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../../core/abort';
import type { TrainProgress } from '../../core/checkpoint';
import type { Metrics } from '../../core/events';
import type { Objective } from '../../core/options';
import { headlineScore } from '../../core/metrics/score';
import { AUTO_LR_GRADIENT_CAP, AUTO_LR_GRADIENT_STEP, autoLearningRate } from '../../core/schedules/auto-lr';
import { divergenceGap, divergenceOf } from '../../core/schedules/divergence';
import { tauAt } from '../../core/schedules/log-base';
import { cosineLrWithin } from '../../core/schedules/lr';
import { describeChunks } from '../../core/memory/chunks';
import { augmentBatch, mixBatch } from '../data/augment';
import { normalizeParams, toTensor } from '../data/preprocess';
import { backendMemory } from '../backend-memory';
import { largestGradientRatio, type GradientRatio } from '../train/lr-probe';
import { MaskedTrainer } from '../train/masked-trainer';
import { matchedScale, regrowableKernel, removeMatch } from '../train/stats-match';
import type { TrainerState } from '../../core/checkpoint';
import type { TrainingReplicas } from '../train/replicas';
import { stepChunks } from '../train/step-memory';
import { distillKl } from '../train/objective';
import { reestimate, scoreHeldOut, type RunContext } from './context';
import { maskSpecOf, type LayerTarget } from './plan';
import { PhaseProgress } from './progress';
import { fromTensorData, setModelWeights, toTensorDataAll } from '../tensor-data';
import { disposeAll, restore, snapshot } from './weights';

/** Steps between two memory readings (tf.memory() is cheap; the series need not be dense). */
const MEMORY_EVERY = 5;

/** An automatic learning rate that diverges is divided by this, and training starts again ... */
export const AUTO_LR_BACKOFF = 10;
/** ... at most this many times. */
export const AUTO_LR_RESTARTS = 2;

/** A scored set of weights. */
export interface Checkpoint {
  metrics: Metrics;
  /** Training step it was taken at; -1 for the one-shot model. */
  step: number;
  weights: tf.Tensor[];
}

export interface DstResult {
  best: Checkpoint;
  lr: number;
  /** Epochs of the last attempt's schedule (a budgeted run re-plans them after its first). */
  epochs: number;
  steps: number;
  msPerStep: number;
  trainSeconds: number;
  divergence: string | null;
  /** Why training ended before its last step (no validation gain, or the time budget), else null. */
  stopped: string | null;
  /** Images per forward/backward pass: the batch, or less when the step memory splits it. */
  chunk: number;
  /** Threads the last step ran on (train/replicas.ts). */
  threads: number;
}

/** Where a resumed run continues: its training state and best checkpoint (null: the one-shot model). */
export interface DstResume {
  progress: TrainProgress | null;
  best: Checkpoint | null;
}

/** Checkpointing of a run: where it resumes from, and where its progress goes. */
export interface DstCheckpoints {
  resume?: DstResume;
  /** Receives the state after a step; awaited, so nothing moves while it is read. */
  save?: (progress: TrainProgress, best: Checkpoint) => Promise<void>;
  /** Least wall time between two saves (a save also follows every held-out evaluation). */
  everyMs: number;
}

/**
 * True when checkpoint `a` is strictly better than `b`. Objectives that learn from the dense
 * teacher rank by the validation KL to it (lower first), then the headline score: the KL is a
 * mean over every class of every image, where top-1 on a hundred validation images moves in
 * whole points by chance. Measured on the Fashion-MNIST MLP at 90% (--preset paper, lr 0.01):
 * the top-1 rule kept step 140 of 700 (validation 90%, KL 0.065) while the KL fell to 0.044 by
 * the end, and returned 85.6% test top-1. Cross-entropy on labels (an ablation that does not aim
 * at the teacher) ranks by the headline score, then the KL.
 */
export function better(a: Metrics, b: Metrics, objective: Objective = 'kl-decay'): boolean {
  const sa = headlineScore(a);
  const sb = headlineScore(b);
  if (objective === 'ce') return sa > sb || (sa === sb && a.kl < b.kl);
  return a.kl < b.kl || (a.kl === b.kl && sa > sb);
}

/** Steps at which the held-out split is scored: `count` evenly spaced, the last step included. */
function evalSteps(total: number, count: number): Set<number> {
  const s = new Set<number>();
  const c = Math.max(1, Math.min(count, total));
  for (let i = 1; i <= c; i++) s.add(Math.round((i * total) / c));
  return s;
}

/** Whether the run matches layer statistics after pruning (a model without BatchNorm, the setting on). */
const matchable = (ctx: RunContext): boolean => !ctx.hasBatchNorm && ctx.options.matchStatistics;

/**
 * What DST starts each kernel from: the dense kernel under its mask. After an output-statistics
 * match (models without BatchNorm) the match's per-channel scale goes with it as a trainable
 * scale of its own (train/masked-trainer.ts), so training starts from the matched one-shot model
 * while the weights, their masks and their regrowth stay on the dense scale, as without a match.
 * Measured on the CIFAR-10 CNN of assets/bnfree at 90% (--preset paper, lr 0.01, seed 1, 9,200
 * test images): training from the matched kernels themselves (the scale folded in, the pruned
 * weights back at their dense values) returned 56.7%, the independent reference 63.0-63.5%.
 * A kernel the match did not scale (a separable conv's depthwise kernel) starts from the model's
 * kernel with its pruned weights back at their dense values. A resumed run takes its scales'
 * presence from the saved trainer state (their values are restored with it).
 */
function startKernels(ctx: RunContext, resumed: TrainerState | null, scales: (Float32Array | null)[] | null): { initial: Float32Array; scale?: Float32Array }[] {
  if (!matchable(ctx) || !scales) return ctx.denseKernels.map((initial) => ({ initial }));
  return ctx.kernels.map((k, i) => {
    const initial = ctx.denseKernels[i]!;
    if (resumed) {
      const saved = resumed.scales?.[i];
      return saved ? { initial, scale: fromTensorData(saved.value).dataSync() as Float32Array } : { initial };
    }
    const scale = scales[i];
    if (scale) return { initial, scale };
    return { initial: regrowableKernel(initial, k.variable.read().dataSync() as Float32Array) };
  });
}

/**
 * The one-shot model's validation KL must be at most this share of the unmatched one's for DST to
 * keep the match (as its channel scales); otherwise training starts without it. Measured at 90%
 * (validation KL of the searched one-shot model, matched / unmatched, and the returned test
 * top-1 of DST from each): the Fashion-MNIST MLP 0.092 / 0.831, where the matched start trains as
 * well (85.9% / 86.0%, --preset paper, lr 0.01); the CIFAR-10 CNN of assets/bnfree 0.810 / 0.779,
 * where the unmatched start trains better (60.9% / 63.0%, a search of 8 x 3, lr 0.01; the
 * independent reference, which never matches, 63.0-63.5%); ResNet-32 with its BatchNorm folded
 * collapses to chance without the match (9.8% uniform one-shot top-1 against 24.3%).
 */
export const KEEP_MATCH_KL_SHARE = 0.5;

/**
 * Whether DST keeps the output-statistics match of a model without BatchNorm: only where it
 * brings the one-shot model much closer to the dense one on the validation images (see
 * KEEP_MATCH_KL_SHARE). Otherwise the match is taken out of the model here, which then holds the
 * unmatched one-shot model, and training starts from the dense weights under the masks as the
 * reference recipe does. The one-shot model (the baseline and fallback) stays the matched one.
 */
async function keepMatch(ctx: RunContext, oneShot: Checkpoint): Promise<boolean> {
  if (!matchable(ctx) || ctx.heldOut.length === 0) return true;
  if (!removeMatch(ctx.model)) return false;
  const unmatched = await scoreHeldOut(ctx);
  const keep = oneShot.metrics.kl <= KEEP_MATCH_KL_SHARE * unmatched.kl;
  const kl = (v: number) => v.toPrecision(3);
  ctx.emit({
    type: 'log',
    message: keep
      ? `Training keeps the layer-statistics match (as a trainable scale per channel): it brings the one-shot model's validation KL to the dense model from ${kl(unmatched.kl)} to ${kl(oneShot.metrics.kl)}.`
      : `Training starts from the dense weights under the masks, without the layer-statistics match: the match brings the one-shot model's validation KL only from ${kl(unmatched.kl)} to ${kl(oneShot.metrics.kl)} (the one-shot model stays the matched one).`,
  });
  if (keep) restore(ctx.model, oneShot.weights);
  return keep;
}

/** Share of the time left that a re-plan after the first epoch fills: the rest absorbs the steps' drift. */
export const REPLAN_MARGIN = 0.9;

/**
 * Epochs a budgeted run trains once its first epoch is timed (`epochMs`, the epoch's wall time
 * with what checks it held): as many as fit REPLAN_MARGIN of the `leftMs` to the deadline with
 * `evals` checks of `evalMs` each, at most `longest` (the plan's reach) and never fewer than
 * planned (a run slower than planned decays its rate by the time left instead). The first costs
 * are timed on a few steps of a throwaway trainer, before the search: a 10-minute run on a CIFAR
 * CNN planned 235 ms a step and took 127-140 ms, and ended at 4.1 minutes.
 */
export function replanEpochs(planned: number, longest: number, epochMs: number, leftMs: number, evals: number, evalMs: number): number {
  if (!(longest > planned) || !Number.isFinite(leftMs) || !(epochMs > 0)) return planned;
  const fit = 1 + Math.floor((REPLAN_MARGIN * leftMs - evals * evalMs) / epochMs);
  return Math.max(planned, Math.min(longest, fit));
}

/** Images the automatic rate's gradient probe reads (the first calibration images, unaugmented). */
const PROBE_IMAGES = 16;

/**
 * For a model without BatchNorm whose rate is automatic: the largest gradient-to-weight ratio of
 * its kernels at the one-shot weights (train/lr-probe.ts), logged with the rate it gives;
 * undefined otherwise.
 */
function probeGradient(ctx: RunContext): number | undefined {
  const o = ctx.options;
  if (ctx.hasBatchNorm || o.lr > 0 || ctx.calib.length === 0 || ctx.kernels.length === 0) return undefined;
  const idx = ctx.calib.slice(0, Math.min(PROBE_IMAGES, o.batchSize));
  let probe: GradientRatio = { ratio: 0, kernel: 0 };
  tf.tidy(() => {
    const x = toTensor(ctx.ds, idx, o.preprocess);
    const labels = ctx.ds.labels && o.objective === 'ce' ? tf.tensor1d(idx.map((i) => ctx.ds.labels![i]!), 'int32') : undefined;
    const objective = { kind: o.objective, temperature: o.temperature, tau: o.tau0, temperStudent: o.temperStudent };
    probe = largestGradientRatio(ctx.kernels.map((k) => k.variable), x, ctx.teacherLogits(x, false) as tf.Tensor2D, (xx) => ctx.logits(xx, true) as tf.Tensor2D, objective, labels);
  });
  if (probe.ratio <= 0) return undefined;
  const rate = autoLearningRate({ hasBatchNorm: false, iterations: 0, warmupIterations: 0, gradientRatio: probe.ratio });
  ctx.emit({
    type: 'log',
    message: `Automatic learning rate ${rate.toPrecision(2)}: no BatchNorm, and the largest gradient on ${idx.length} calibration images is ${probe.ratio.toPrecision(2)}x its kernel's weights (${ctx.layers[probe.kernel]!.name}); the rate is ${AUTO_LR_GRADIENT_STEP} over that, at most ${AUTO_LR_GRADIENT_CAP}.`,
  });
  return probe.ratio;
}

/**
 * Dynamic sparse training against the dense teacher, from the dense weights under the one-shot
 * masks (a pruned weight keeps its value and can regrow; the model's kernels, which are scored
 * and exported, hold w * mask). Keeps the best validation checkpoint, starting from `oneShot`, so
 * the result is never worse than it. Stops early after `earlyStopPatience` evaluations without a
 * gain, or at `deadline` (performance.now() ms) for a time budget. With `checkpoints.resume` it
 * continues a saved run step for step, as if never interrupted.
 */
export async function runDst(
  ctx: RunContext,
  targets: LayerTarget[],
  sparsities: number[],
  oneShot: Checkpoint,
  checkpoints: DstCheckpoints = { everyMs: Infinity },
  deadline = Infinity,
  replicas: TrainingReplicas | null = null,
  longest = 0,
): Promise<DstResult> {
  const o = ctx.options;
  const perEpoch = Math.max(1, Math.ceil(ctx.calib.length / o.batchSize));
  const from = checkpoints.resume?.progress ?? null;
  // A budgeted run re-plans its epochs once, after its first (replanEpochs); a resumed run keeps what it had.
  let epochs = from?.epochs ?? o.epochs;
  let total = epochs * perEpoch;
  const warmup = Math.round(o.warmupEpochs * perEpoch);
  // An automatic rate is chosen once the model holds what training starts from (below).
  let lr = from?.lr ?? o.lr;
  let restarts = from?.restarts ?? 0;
  // The step this attempt began at: after a restart, steps keep counting (charts go on to the
  // right) while the schedule, the warm-up and the validation checks start again.
  let attemptStart = from?.attemptStart ?? 0;
  const result: DstResult = { best: checkpoints.resume?.best ?? oneShot, lr, epochs, steps: 0, msPerStep: 0, trainSeconds: 0, divergence: null, stopped: null, chunk: o.batchSize, threads: 1 };
  const automatic = () => autoLearningRate({ hasBatchNorm: ctx.hasBatchNorm, iterations: total, warmupIterations: warmup, gradientRatio: total > 0 ? probeGradient(ctx) : undefined });
  if (total === 0) {
    if (lr <= 0) result.lr = automatic();
    return result;
  }
  // The model holds the one-shot weights here, resumed or not. The match's scales are read before
  // keepMatch looks at the model without them; a resumed run's saved state says whether it kept
  // the match, and its saved weights put the model where it was.
  const scales = ctx.kernels.map((k) => matchedScale(ctx.model, k.variable));
  const matched = from ? (from.trainer.scales ?? []).some((sc) => sc !== null) : await keepMatch(ctx, oneShot);
  // Where a restart after divergence begins: the one-shot model, or without the match the unmatched one.
  if (from && !matched && matchable(ctx)) removeMatch(ctx.model);
  const startWeights = matched ? oneShot.weights : snapshot(ctx.model);
  const start = startKernels(ctx, from?.trainer ?? null, matched ? scales : null);
  if (lr <= 0) {
    lr = automatic();
    result.lr = lr;
  }
  if (from) setModelWeights(ctx.model, from.weights);
  const newTrainer = () =>
    new MaskedTrainer(
      ctx.model,
      ctx.kernels.map((k, i) => ({ variable: k.variable, spec: maskSpecOf(targets[i]!, ctx.layers[i]!.params, sparsities[i]!, o), ...start[i]! })),
      { momentum: o.momentum, weightDecay: o.weightDecay, lambda: o.lambda },
      replicas,
    );
  let trainer = newTrainer();
  const chunks = stepChunks(ctx.model, o.batchSize, o.stepMemoryMB);
  if (chunks.passes > 1) ctx.emit({ type: 'log', message: describeChunks(o.batchSize, chunks, o.stepMemoryMB) });
  result.chunk = chunks.chunk;
  let evals = evalSteps(total, o.evalsPerRun);
  let churnEvery = Math.max(1, Math.floor(total / 50));
  let replanned = from !== null;
  let evalMs = 0;
  let evalCount = 0;
  let attemptT0 = performance.now();
  let step = from?.step ?? 0;
  let minGap = from?.minLoss ?? Infinity;
  let stepTime = from?.stepMs ?? 0;
  const t0 = performance.now() - (from?.trainMs ?? 0);
  let lastSave = performance.now();
  let sinceBest = 0;
  const fill = normalizeParams(o.preprocess, ctx.ds.channels).offset;
  const stop = (why: string) => {
    result.stopped = why;
    ctx.emit({ type: 'log', message: why });
  };
  try {
    if (from) {
      trainer.restore(from.trainer);
      ctx.rng.setState(from.rng);
      ctx.emit({ type: 'log', message: `Resumed training at step ${step} of ${attemptStart + total}.` });
    }
    const progress = new PhaseProgress(ctx.emit, 'dst', attemptStart + total, step);
    const local = () => step - attemptStart;
    // With a deadline the cosine also runs on the time left (cosineLrWithin), timed from where it begins in this run.
    let cosineFrom: number | null = local() >= warmup ? performance.now() : null;
    // An automatic rate that diverges is divided by AUTO_LR_BACKOFF and training starts again
    // from where it began (the best checkpoint so far stays); a rate the user chose is kept.
    let resuming = from !== null;
    for (;;) {
      const at = resuming ? from : null;
      for (let epoch = at?.epoch ?? 0; epoch < epochs && !result.divergence && !result.stopped; epoch++) {
        const tau = tauAt(epoch, o.tau0, o.tauGamma);
        const resumedAt = at !== null && epoch === at.epoch ? at : null;
        const order = resumedAt ? [...resumedAt.order] : ctx.rng.shuffle([...ctx.calib]);
        for (let b = resumedAt ? resumedAt.batch : 0; b < perEpoch && !result.divergence && !result.stopped; b++) {
          throwIfAborted(ctx.signal);
          const s0 = performance.now();
          const idx = order.slice(b * o.batchSize, (b + 1) * o.batchSize);
          if (cosineFrom === null && local() >= warmup) cosineFrom = performance.now();
          const timeProgress = cosineFrom !== null && Number.isFinite(deadline) ? (performance.now() - cosineFrom) / Math.max(1, deadline - cosineFrom) : 0;
          const stepLr = cosineLrWithin(local(), total, lr, warmup, timeProgress);
          const lossT = tf.tidy(() => {
            const raw = toTensor(ctx.ds, idx, o.preprocess);
            const seen = o.augment ? augmentBatch(raw, ctx.rng, fill) : raw;
            const x = o.mix !== 'none' ? mixBatch(seen, ctx.rng, o.mix) : seen;
            const teacherLogits = ctx.teacherLogits(x, false);
            const labels = ctx.ds.labels && o.objective === 'ce' ? tf.tensor1d(idx.map((i) => ctx.ds.labels![i]!), 'int32') : undefined;
            // The student's logits of this very step, kept past the gradient's tidy for the KL.
            let student: tf.Tensor2D | null = null;
            const value = trainer.step({ x, teacherLogits, labels }, (xx) => ctx.logits(xx, true), {
              kind: o.objective, temperature: o.temperature, tau, temperStudent: o.temperStudent,
            }, stepLr, o.maskInterval, chunks.chunk, (t) => (student = t));
            const kl = distillKl(o, teacherLogits, student!);
            tf.dispose(student!);
            return tf.stack([value, kl]);
          });
          const [loss, kl] = [...(await lossT.data())] as [number, number];
          if (trainer.replicaFailure) {
            ctx.emit({ type: 'warning', message: `Training continues on one thread from step ${step + 1}: ${trainer.replicaFailure}` });
            trainer.replicaFailure = null;
          }
          lossT.dispose();
          step++;
          stepTime += performance.now() - s0;
          ctx.emit({ type: 'train-step', step, totalSteps: attemptStart + total, epoch, loss, kl, tau, lr: stepLr, msPerStep: stepTime / step });
          if (step % MEMORY_EVERY === 0 || step === 1 || local() === total) {
            const mem = tf.memory();
            ctx.emit({ type: 'memory', step, numTensors: mem.numTensors, numBytes: mem.numBytes, ...backendMemory() });
          }
          const gap = divergenceGap(o.objective, loss, kl);
          result.divergence = divergenceOf({ step, loss, gap, minGap, factor: o.divergenceFactor, after: attemptStart + Math.max(warmup, 5), lr, objective: o.objective });
          minGap = Math.min(minGap, gap);
          if (step % churnEvery === 0 || local() === total) {
            const perLayer = await trainer.churn();
            ctx.emit({ type: 'churn', step, perLayer, mean: perLayer.reduce((a, c) => a + c, 0) / Math.max(perLayer.length, 1) });
          }
          // Out of time: this step ends training, so it is scored like the plan's last one.
          const timeUp = local() < total && performance.now() > deadline;
          const evaluated = !result.divergence && (evals.has(local()) || timeUp);
          if (evaluated) {
            const e0 = performance.now();
            await reestimate(ctx, o.seed + 31);
            const metrics = await scoreHeldOut(ctx);
            evalMs += performance.now() - e0;
            evalCount++;
            const isBest = better(metrics, result.best.metrics, o.objective);
            if (isBest) {
              if (result.best !== oneShot) disposeAll(result.best.weights);
              result.best = { metrics, step, weights: snapshot(ctx.model) };
            }
            sinceBest = isBest ? 0 : sinceBest + 1;
            ctx.emit({ type: 'eval', step, metrics, best: isBest });
            if (o.earlyStopPatience > 0 && sinceBest >= o.earlyStopPatience && local() < total) {
              stop(`Stopped early at step ${step} of ${attemptStart + total}: the last ${sinceBest} validation checks did not beat the best (step ${result.best.step}).`);
            }
          }
          if (!result.stopped && timeUp) {
            stop(`Stopped at step ${step} of ${attemptStart + total} to keep to the time budget; the learning rate followed the time left, so it had decayed to zero by then, and this last step was scored.`);
          }
          const save = checkpoints.save;
          if (save && local() < total && !result.divergence && !result.stopped && (evaluated || performance.now() - lastSave >= checkpoints.everyMs)) {
            await save(
              {
                step, epoch, batch: b + 1, order, rng: ctx.rng.getState(), minLoss: minGap, lr, restarts, attemptStart, epochs, stepMs: stepTime, trainMs: performance.now() - t0,
                weights: await toTensorDataAll(ctx.model.getWeights()), trainer: await trainer.state(),
              },
              result.best,
            );
            lastSave = performance.now();
          }
          if (!replanned && local() === perEpoch) {
            replanned = true;
            const more = replanEpochs(epochs, longest, performance.now() - attemptT0, deadline - performance.now(), o.evalsPerRun, evalCount > 0 ? evalMs / evalCount : 0);
            if (more > epochs) {
              ctx.emit({ type: 'log', message: `Training re-planned after its first epoch (${((performance.now() - attemptT0) / 1000).toFixed(1)} s): ${more} epochs instead of ${epochs} fit the time left.` });
              epochs = more;
              total = epochs * perEpoch;
              evals = evalSteps(total, o.evalsPerRun);
              churnEvery = Math.max(1, Math.floor(total / 50));
              progress.setTotal(attemptStart + total);
            }
          }
          progress.tick(step);
          await tf.nextFrame();
        }
      }
      resuming = false;
      if (!result.divergence || o.lr > 0 || restarts >= AUTO_LR_RESTARTS || (Number.isFinite(deadline) && performance.now() > deadline)) break;
      const next = lr / AUTO_LR_BACKOFF;
      ctx.emit({ type: 'warning', message: `${result.divergence.replace(/ Kept the best checkpoint.*$/, '')} Training starts again from the beginning at the automatic rate's tenth, lr ${next.toPrecision(2)} (the best checkpoint so far is kept).` });
      lr = next;
      restarts++;
      result.divergence = null;
      trainer.dispose();
      restore(ctx.model, startWeights);
      trainer = newTrainer();
      attemptStart = step;
      attemptT0 = performance.now();
      minGap = Infinity;
      sinceBest = 0;
      cosineFrom = null;
      progress.setTotal(attemptStart + total);
    }
    result.steps = step;
    result.epochs = epochs;
    result.lr = lr;
    result.threads = trainer.threads;
  } catch (e) {
    // Cancelled or failed: the best snapshot goes with the run (the one-shot one is the caller's).
    if (result.best !== oneShot) disposeAll(result.best.weights);
    throw e;
  } finally {
    trainer.dispose();
    if (startWeights !== oneShot.weights) disposeAll(startWeights);
  }
  if (result.divergence) ctx.emit({ type: 'warning', message: result.divergence });
  result.msPerStep = result.steps > 0 ? stepTime / result.steps : 0;
  result.trainSeconds = (performance.now() - t0) / 1000;
  return result;
}
