import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../../core/abort';
import type { BudgetReport, LayerReport, Metrics, Phase, ProgressCallback, RunReport, TestScores } from '../../core/events';
import { describePlan, FILL, PATIENT_EPOCHS, sizeTraining } from '../../core/budget/plan-budget';
import { plural } from '../../core/words/plural';
import { scoreLogits } from '../../core/metrics/score';
import { keepCount } from '../../core/masks/magnitude';
import { formatPattern, validateOptions, type PruneOptions } from '../../core/options';
import { Rng } from '../../core/rng';
import type { RunArtifacts } from '../../core/session-types';
import { backendMemory } from '../backend-memory';
import { splitHeldOut } from '../data/dataset';
import type { Dataset } from '../data/types';
import { errorMessage, InputError } from '../errors';
import { labelsOf, predictLogits } from '../eval/evaluate';
import { exportLayersModel, exportMasks } from '../export/export-model';
import { packNm } from '../../core/deploy/packed';
import { deploymentReport } from '../deploy/deployment-report';
import { cloneModel } from '../model/clone';
import { findPrunableKernels } from '../model/prunable';
import { makeLogitsFn } from '../model/logits';
import { layersOfClass } from '../model/walk';
import { rememberDenseWeights } from '../train/stats-match';
import { evalBatch, recalibrate, releaseBnInputs, scoreHeldOut, type RunContext } from './context';
import { runDst, type Checkpoint } from './dst-stage';
import { dataParallelBlocker, type ReplicaFactory, type TrainingReplicas } from '../train/replicas';
import { heuristicTargets, patternLabel, patternTargets, type LayerTarget } from './plan';
import { applyOneShotMasks, chooseDistribution, searches } from './search-stage';
import { buildFitnessSetup, FitnessRunner, type FitnessWorkerFactory, type FitnessWorkers } from './fitness';
import { searchWorkerBytes } from './fitness-memory';
import { buildRecipe } from './recipe';
import { disposeAll, readKernels, restore, snapshot } from './weights';
import type { RunCheckpoint } from '../../core/checkpoint';
import { checkResume, makeCheckpoint } from './checkpoint';
import { fromTensorData, setModelWeights, toTensorDataAll } from '../tensor-data';
import { elapsed, planRun, type Budget } from './budget-stage';
import { scoreTest } from './test-stage';

/** A loaded model and image set, ready to prune. */
export interface RunInputs {
  model: tf.LayersModel;
  ds: Dataset;
  /** Backend name for the report. */
  backend: string;
  /** Calibration / validation image indices chosen by the caller (else a seeded stratified split). */
  split?: { calib: number[]; heldOut: number[] };
  /** Test images: scored once at the end (dense, one-shot, returned), never used for a choice. */
  test?: Dataset;
  /** performance.now() when the user's clock started, for the time budget (default: now). */
  startedAt?: number;
  /** Fingerprints of the model and images, written into checkpoints and checked on resume. */
  keys?: { model: string; images: string };
  /** A checkpoint of an earlier run of these inputs to continue from. */
  resume?: RunCheckpoint;
  /** Receives checkpoints as the run goes: after the one-shot model, then during training. */
  onCheckpoint?: (c: RunCheckpoint) => void | Promise<void>;
  /** Least wall time between two training checkpoints (default 30 s; evaluations also save). */
  checkpointMs?: number;
  /** Starts workers that evaluate search genomes beside the run's own thread (the CLI's worker threads). */
  fitnessWorkers?: FitnessWorkerFactory;
  /** Starts threads that compute shards of each training step beside the run's own (train/replicas.ts). */
  trainingThreads?: ReplicaFactory;
}

/** Images per class under which the calibration set is called small (docs/method.md, lessons). */
const SMALL_PER_CLASS = 10;

/**
 * The whole pipeline (docs/method.md): dense metrics -> distribution -> one-shot baseline -> DST ->
 * final metrics -> export. The model is returned to its dense weights afterwards, also on
 * cancel or failure, so the next run starts from the same place.
 */
export async function runPipeline(inputs: RunInputs, o: PruneOptions, emit: ProgressCallback, signal: AbortSignal): Promise<RunArtifacts> {
  const problems = validateOptions(o);
  if (problems.length) throw new InputError(null, `Settings: ${problems.join(' ')}`);
  const { model, ds, resume } = inputs;
  const keys = inputs.keys ?? { model: '', images: '' };
  if (resume) checkResume(resume, o, keys);
  const t0 = performance.now();
  const startedAt = inputs.startedAt ?? t0;
  const phase = (p: Phase, message: string) => emit({ type: 'phase', phase: p, message });
  phase('load', 'Preparing the model and the calibration split');
  const found = findPrunableKernels(model, { keepFirstDense: o.keepFirstDense, keepLastDense: o.keepLastDense });
  const layers = found.map((k) => k.summary);
  const kernels = found.map((k) => ({ variable: k.variable, shape: k.summary.shape }));
  const dense = snapshot(model);
  const teacher = await cloneModel(model);
  const warnings: string[] = [];
  let oneShotWeights: tf.Tensor[] | null = null;
  let bestWeights: tf.Tensor[] | null = null;
  let context: RunContext | null = null;
  let runner: FitnessRunner | null = null;
  try {
    const split = resume?.split ?? inputs.split ?? splitHeldOut(ds.count, o.heldOut, o.seed, ds.labels);
    let heldOut = split.heldOut;
    if (heldOut.length === 0) {
      heldOut = split.calib;
      warnings.push('No held-out images: scores are on the calibration images, which training sees (optimistic).');
    }
    const classes = model.outputs[0]!.shape[model.outputs[0]!.shape.length - 1]!;
    if (split.calib.length < SMALL_PER_CLASS * Math.min(classes, 100)) {
      warnings.push(
        `The calibration set is small for this model (${plural(split.calib.length, 'image')} for ${plural(classes, 'class')}): training may overfit it. The held-out split picks the checkpoint, and the one-shot model is kept if training does not beat it.`,
      );
    }
    warnings.forEach((message) => emit({ type: 'warning', message }));
    const ctx: RunContext = (context = {
      model, teacher, ds, classes, layers, kernels, warnings, emit, signal, options: o,
      logits: makeLogitsFn(model).logits,
      teacherLogits: makeLogitsFn(teacher).logits,
      calib: split.calib,
      heldOut,
      denseKernels: await readKernels(kernels),
      denseHeldOutLogits: new Float32Array(0),
      rng: new Rng(o.seed),
      hasBatchNorm: layersOfClass(model, 'BatchNormalization').length > 0,
    });
    if (!ctx.hasBatchNorm) rememberDenseWeights(model);

    phase('dense-eval', `Scoring the dense model on ${plural(heldOut.length, 'held-out image')}`);
    ctx.denseHeldOutLogits = await predictLogits(ctx.teacherLogits, ds, heldOut, o.preprocess, evalBatch(ctx), signal);
    const denseMetrics = scoreLogits(ctx.denseHeldOutLogits, ctx.denseHeldOutLogits, classes, labelsOf(ds, heldOut));
    emit({ type: 'metrics', which: 'dense', metrics: denseMetrics });

    const targets = patternTargets(layers, o);
    if (!resume && searches(ctx, targets)) runner = await startFitness(ctx, targets, inputs.fitnessWorkers);
    let budget: Budget | null = null;
    if (resume?.planned) {
      ctx.options = { ...resume.planned, batchSize: o.batchSize };
    } else if (o.budgetMinutes > 0) {
      phase('search', `Timing a training step and a fitness evaluation to fit the ${o.budgetMinutes}-minute budget`);
      const planned = await planRun(ctx, targets, inputs.test?.count ?? 0, startedAt, runner ?? undefined);
      ctx.options = planned.options;
      budget = planned.budget;
    }
    phase('search', o.distribution === 'search' && o.pattern.kind === 'unstructured' ? 'Searching the layer-wise sparsity distribution' : `Computing the ${o.pattern.kind === 'nm' ? formatPattern(o.pattern) : o.distribution} distribution`);
    const uniform = heuristicTargets('uniform', layers, ctx.denseKernels, targets, o.sparsity);
    const erk = heuristicTargets('erk', layers, ctx.denseKernels, targets, o.sparsity);
    const layerReport = (s: number[], achieved: number[]): LayerReport[] =>
      layers.map((l, i) => ({
        ...l, targetSparsity: s[i]!, sparsity: achieved[i]!, pattern: patternLabel(targets[i]!, o),
        ...(targets[i]!.note ? { patternNote: targets[i]!.note } : {}), uniform: uniform[i]!, erk: erk[i]!,
      }));
    const dist = resume
      ? { sparsities: resume.sparsities, history: resume.search, searchSeconds: resume.searchSeconds, fitnessSeconds: resume.fitnessSeconds }
      : await chooseDistribution(ctx, targets, budget ? searchDeadline(budget) : undefined, runner ?? undefined);
    // The workers' memory goes back before training.
    await runner?.close();
    runner = null;
    releaseBnInputs(ctx);
    if (resume) emit({ type: 'log', message: 'Resumed: the saved distribution is used, no new search.' });
    emit({ type: 'layers', layers: layerReport(dist.sparsities, dist.sparsities) });

    phase('one-shot', `One-shot baseline: magnitude masks + ${ctx.hasBatchNorm ? 'BN re-estimation' : o.matchStatistics ? "each layer's output statistics matched to the dense model's (no BatchNorm to re-estimate)" : 'no re-estimation (no BatchNorm layers)'}, no training`);
    let oneShotMetrics: Metrics;
    if (resume) {
      setModelWeights(model, resume.oneShotWeights);
      oneShotMetrics = resume.oneShot;
    } else {
      applyOneShotMasks(ctx, targets, dist.sparsities);
      await recalibrate(ctx, o.seed + 31);
      oneShotMetrics = await scoreHeldOut(ctx);
    }
    emit({ type: 'metrics', which: 'oneShot', metrics: oneShotMetrics });
    oneShotWeights = snapshot(model);
    const oneShot: Checkpoint = { metrics: oneShotMetrics, step: -1, weights: oneShotWeights };
    if (budget) fitTraining(ctx, budget, o);
    const saved = inputs.onCheckpoint
      ? makeCheckpoint({
          version: 1, options: o, ...(budget ? { planned: ctx.options } : {}), modelKey: keys.model, imagesKey: keys.images, split: { calib: split.calib, heldOut: split.heldOut },
          sparsities: dist.sparsities, search: dist.history, searchSeconds: dist.searchSeconds, fitnessSeconds: dist.fitnessSeconds,
          rng: resume?.rng ?? ctx.rng.getState(), dense: denseMetrics, oneShot: oneShotMetrics, oneShotWeights: resume?.oneShotWeights ?? (await toTensorDataAll(oneShotWeights)),
          best: null, train: null, createdAt: '',
        }, inputs.onCheckpoint)
      : null;
    if (saved && !resume) await saved(null, oneShot);
    if (resume) ctx.rng.setState(resume.rng);
    const resumedBest: Checkpoint | null = resume?.best
      ? { metrics: resume.best.metrics, step: resume.best.step, weights: resume.best.weights.map(fromTensorData) }
      : null;

    phase('dst', `Dynamic sparse training, ${plural(ctx.options.epochs, 'epoch', 'epochs')} over ${plural(ctx.calib.length, 'image')}`);
    const replicas = await startTrainingThreads(ctx, inputs.trainingThreads);
    const dst = await runDst(ctx, targets, dist.sparsities, oneShot, {
      ...(resume ? { resume: { progress: resume.train, best: resumedBest } } : {}),
      ...(saved ? { save: saved } : {}),
      everyMs: inputs.checkpointMs ?? 30_000,
    }, budget ? trainingDeadline(budget) : Infinity, replicas, budget ? PATIENT_EPOCHS * o.epochs : 0).finally(() => replicas?.close());
    if (dst.best !== oneShot) bestWeights = dst.best.weights;

    phase('final-eval', 'Scoring the returned model');
    restore(model, dst.best.weights);
    const finalMetrics: Metrics = await scoreHeldOut(ctx);
    emit({ type: 'metrics', which: 'final', metrics: finalMetrics });
    let test: TestScores | null = null;
    if (inputs.test && inputs.test.count > 0) {
      phase('final-eval', `Scoring the dense, one-shot and returned models once on ${plural(inputs.test.count, 'test image')}`);
      test = await scoreTest(ctx, inputs.test, oneShotWeights, dst.best.weights, dist.history.length > 0 ? { targets, sparsities: uniform } : null);
      emit({ type: 'test-metrics', scores: test });
    }

    phase('export', 'Writing the sparse model, masks and report');
    throwIfAborted(signal);
    // Pruned weights become exactly +0 (w * mask leaves -0 for negative w).
    for (const k of kernels) {
      tf.tidy(() => {
        k.variable.write(tf.add(k.variable.read(), 0));
      });
    }
    const exported = await exportLayersModel(model);
    const masks = await exportMasks(kernels, layers.map((l) => l.name));
    const achieved = masks.zeros.map((z, i) => z / layers[i]!.params);
    const sparseKernels = await readKernels(kernels);
    const nmOf = (i: number) => (targets[i]!.mode === 'nm' && o.pattern.kind === 'nm' ? { n: o.pattern.n, m: o.pattern.m } : null);
    const deployment = await deploymentReport({
      kernels: layers.map((summary, i) => ({ summary, weights: sparseKernels[i]!, nm: nmOf(i) })),
      sparseWeightFile: exported.weights,
      denseWeightFile: (await exportLayersModel(teacher)).weights,
      dense: teacher,
      sparse: model,
      backend: inputs.backend,
      measureLatency: true,
      signal,
    });
    throwIfAborted(signal);
    const nmLayers = layers.flatMap((l, i) => {
      const nm = nmOf(i);
      return nm ? [{ name: l.name, shape: l.shape, weights: sparseKernels[i]!, ...nm }] : [];
    });
    layers.forEach((l, i) => {
      const need = targets[i]!.mode === 'dense' ? 0 : l.params - keepCount(l.params, dist.sparsities[i]!);
      if (targets[i]!.mode === 'unstructured' && masks.zeros[i]! < need) {
        throw new Error(`Export check failed: ${l.name} has ${masks.zeros[i]} zeros, expected at least ${need}.`);
      }
    });
    const pruned = layers.map((l, i) => (l.keptDense ? -1 : i)).filter((i) => i >= 0);
    const sumOf = (ids: number[], f: (i: number) => number) => ids.reduce((s, i) => s + f(i), 0);
    const all = layers.map((_, i) => i);
    const report: RunReport = {
      globalSparsity: sumOf(pruned, (i) => masks.zeros[i]!) / Math.max(sumOf(pruned, (i) => layers[i]!.params), 1),
      overallSparsity: sumOf(all, (i) => masks.zeros[i]!) / Math.max(sumOf(all, (i) => layers[i]!.params), 1),
      targetSparsity: o.pattern.kind === 'nm' ? 1 - o.pattern.n / o.pattern.m : o.sparsity,
      pattern: formatPattern(o.pattern),
      distribution: o.pattern.kind === 'nm' ? 'n:m' : o.distribution,
      layers: layerReport(dist.sparsities, achieved),
      dense: denseMetrics,
      oneShot: oneShotMetrics,
      final: finalMetrics,
      test,
      budget: budget ? budgetReport(budget) : null,
      stoppedEarly: dst.stopped,
      trainChunk: dst.chunk,
      trainThreads: dst.threads,
      memory: backendMemory(),
      returned: dst.best === oneShot ? 'one-shot' : 'trained',
      bestStep: dst.best.step,
      divergence: dst.divergence,
      settings: { ...ctx.options, lr: dst.lr, epochs: dst.epochs },
      backend: inputs.backend,
      timings: {
        searchSeconds: dist.searchSeconds,
        trainSeconds: dst.trainSeconds,
        msPerStep: dst.msPerStep,
        fitnessSeconds: dist.fitnessSeconds,
        searchParallel: 'parallel' in dist ? dist.parallel : 1,
        totalSeconds: (performance.now() - t0) / 1000,
      },
      calibrationImages: ctx.calib.length,
      heldOutImages: heldOut.length,
      testImages: inputs.test?.count ?? 0,
      warnings,
      search: dist.history,
      deployment,
      createdAt: new Date().toISOString(),
    };
    emit({ type: 'layers', layers: report.layers });
    return {
      modelJson: exported.modelJson,
      weights: exported.weights,
      masksJson: masks.masksJson,
      masks: masks.masks,
      nmPacked: nmLayers.length ? (packNm(nmLayers).slice().buffer as ArrayBuffer) : null,
      recipeJson: JSON.stringify(buildRecipe(report), null, 2),
      report,
    };
  } finally {
    await runner?.close().catch(() => undefined);
    if (context) releaseBnInputs(context);
    restore(model, dense);
    disposeAll(dense);
    disposeAll(oneShotWeights);
    disposeAll(bestWeights);
    teacher.dispose();
  }
}

/**
 * The search's fitness runner: the run's own model, plus the host's workers when it offers them
 * and they start (else a warning, and the search runs on this thread alone).
 */
/** The training threads for this run's model, or null (none asked for, the model cannot use them, or they failed to start: said why). */
async function startTrainingThreads(ctx: RunContext, factory?: ReplicaFactory): Promise<TrainingReplicas | null> {
  if (!factory || ctx.options.epochs === 0) return null;
  const blocker = dataParallelBlocker(ctx.model);
  if (blocker) {
    ctx.emit({ type: 'log', message: `Training on one thread: ${blocker}.` });
    return null;
  }
  try {
    const replicas = await factory(ctx.model, ctx.options.batchSize);
    ctx.emit({ type: 'log', message: `Training each step on ${replicas.threads} threads: each pass's images split between them, BatchNorm normalising with the whole pass's statistics as on one thread.` });
    return replicas;
  } catch (e) {
    ctx.emit({ type: 'warning', message: `Training on one thread: the training threads did not start (${errorMessage(e)}).` });
    return null;
  }
}

async function startFitness(ctx: RunContext, targets: LayerTarget[], factory?: FitnessWorkerFactory): Promise<FitnessRunner> {
  const setup = await buildFitnessSetup(ctx, targets);
  let workers: FitnessWorkers | null = null;
  if (factory) {
    try {
      workers = await factory(ctx.ds, setup, searchWorkerBytes(ctx.model, ctx.ds, setup));
      if (workers.note) ctx.emit({ type: 'log', message: workers.note });
      if (workers.size === 0) {
        await workers.close();
        workers = null;
      }
    } catch (e) {
      const message = `Search workers could not start (${errorMessage(e)}); the search runs on this thread alone.`;
      ctx.warnings.push(message);
      ctx.emit({ type: 'warning', message });
    }
  }
  return new FitnessRunner(ctx, setup, workers, (why) => {
    const message = `A search worker stopped (${why}); the search goes on on this thread alone.`;
    ctx.warnings.push(message);
    ctx.emit({ type: 'warning', message });
  });
}

/** Share of its planned time the search may run over before it stops at a generation's end. */
const SEARCH_SLACK = 1.1;

/** Ends the search once it has used its planned share of the budget (with a little slack). */
function searchDeadline(b: Budget): () => boolean {
  const end = performance.now() + b.plan.searchSeconds * SEARCH_SLACK * 1000;
  return () => performance.now() > end;
}

/** Work still to come after training: final and test scoring and the export (one-shot is done). */
function afterTraining(b: Budget): number {
  return Math.max(0, b.costs.fixed - b.costs.evaluation);
}

/**
 * performance.now() by which training must end for the run to keep to its budget, less one validation check: a run
 * that reaches it scores the step it stopped at (dst-stage.ts).
 */
function trainingDeadline(b: Budget): number {
  return b.startedAt + (b.seconds - afterTraining(b) - b.costs.evaluation) * 1000;
}

/** Sizes DST to the time the search left (its unused share flows to training) and says so. */
function fitTraining(ctx: RunContext, b: Budget, full: PruneOptions): void {
  const perEpoch = Math.max(1, Math.ceil(ctx.calib.length / ctx.options.batchSize));
  const left = b.seconds - elapsed(b) - afterTraining(b);
  // Time the full schedule's epochs leave over (a search that ended early, costs that fell) goes
  // to longer training, as in a lengthened plan, keeping its margin (1 - FILL of the budget).
  const within = sizeTraining(left, perEpoch, b.costs, full);
  const longer = sizeTraining(left - (1 - FILL) * b.seconds, perEpoch, b.costs, full, PATIENT_EPOCHS * full.epochs);
  const t = longer.epochs > full.epochs ? longer : within;
  if (t.epochs !== ctx.options.epochs || t.evalsPerRun !== ctx.options.evalsPerRun) {
    ctx.emit({ type: 'log', message: `Training: ${t.epochs} epoch(s) and ${t.evalsPerRun} validation checks fit the ${Math.round(left)} s left (planned ${ctx.options.epochs}).` });
  }
  ctx.options = { ...ctx.options, epochs: t.epochs, evalsPerRun: t.evalsPerRun };
}

function budgetReport(b: Budget): BudgetReport {
  return { budgetSeconds: b.seconds, plan: describePlan(b.plan, b.plan.searchSeconds > 0), estimatedSeconds: b.estimatedSeconds, costs: b.costs };
}
