/**
 * The search's fitness evaluation (docs/method.md section 2) as a pure function of the per-layer
 * sparsities, so that evaluations can run side by side: on the run's own model, or on copies of
 * it in workers (each with its own backend) that a host supplies. A genome's fitness is the same
 * wherever it is computed: the copy is loaded from the same files, re-estimates BN on the same
 * seeded batches and noise, and scores the same images against the same dense logits.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Metrics } from '../../core/events';
import type { PruneOptions } from '../../core/options';
import { scoreLogits } from '../../core/metrics/score';
import type { Dataset } from '../data/types';
import { errorMessage } from '../errors';
import { labelsOf, predictLogits } from '../eval/evaluate';
import { makeLogitsFn } from '../model/logits';
import { findPrunableKernels } from '../model/prunable';
import { layersOfClass } from '../model/walk';
import { rememberDenseWeights } from '../train/stats-match';
import { evalBatch, recalibrate, releaseBnInputs, type RunContext } from './context';
import { fitnessImagesOf } from './fitness-images';
import { maskSpecOf, type LayerTarget } from './plan';
import { hostMask, readKernels, writeMasked } from './weights';

/** Everything a fitness evaluation reads besides the model: plain data, sent to workers as is. */
export interface FitnessSetup {
  options: PruneOptions;
  targets: LayerTarget[];
  /** Calibration image indices (BN re-estimation draws its batches from them). */
  calib: number[];
  /** The images scored, and the dense model's logits and the labels on them. */
  images: number[];
  dense: Float32Array;
  labels: Int32Array | null;
  classes: number;
}

/** What a host gives the search to spread fitness evaluations over: its workers, started. */
export interface FitnessWorkers {
  /** Workers started (the run's own thread evaluates too). */
  readonly size: number;
  /** Why fewer were started than asked for (memory), or null. */
  readonly note?: string | null;
  /** The fitness of `sparsities` (one per prunable kernel), computed in a worker. */
  evaluate(sparsities: number[]): Promise<number>;
  /** Stops the workers and frees what they hold. */
  close(): Promise<void>;
}

/**
 * Starts a host's workers for one search: each loads its own copy of the run's model (the host
 * knows its files) and takes the images and the setup. `bytesPerWorker` is what each is estimated
 * to hold (fitness-memory.ts), for hosts that start no more than their free memory holds. Rejects
 * when they cannot start.
 */
export type FitnessWorkerFactory = (ds: Dataset, setup: FitnessSetup, bytesPerWorker: number) => Promise<FitnessWorkers>;

/** The context fields a fitness evaluation uses. */
export type FitnessContext = Pick<RunContext, 'model' | 'logits' | 'ds' | 'calib' | 'layers' | 'kernels' | 'denseKernels' | 'options' | 'signal' | 'classes' | 'hasBatchNorm'>;

/** The search's fitness from metrics on calibration images. */
export function fitnessOf(m: Metrics, o: PruneOptions): number {
  // A KL term far below one image's worth of accuracy breaks ties between equal top-1 counts.
  const tieBreak = -1e-4 * m.kl;
  if (m.top1 !== undefined) return m.top1 + tieBreak;
  return o.unlabelledFitness === 'neg-kl' ? -m.kl : m.agreement + tieBreak;
}

/** Writes magnitude (or N:M) masks at `sparsities` of the dense weights into the model. */
export function applyOneShotMasks(ctx: Pick<FitnessContext, 'kernels' | 'denseKernels' | 'layers' | 'options'>, targets: LayerTarget[], sparsities: number[]): Uint8Array[] {
  const masks = ctx.kernels.map((k, i) =>
    hostMask(ctx.denseKernels[i]!, k.shape, maskSpecOf(targets[i]!, ctx.layers[i]!.params, sparsities[i]!, ctx.options)),
  );
  writeMasked(ctx.kernels, ctx.denseKernels, masks);
  return masks;
}

/**
 * One fitness evaluation: one-shot masks at `sparsities`, BN re-estimated (the same batches and
 * noise for every genome keep the comparison fair; they are kept between calls until
 * releaseBnInputs), then the scored images against the dense logits.
 */
export async function evaluateFitness(ctx: FitnessContext, setup: FitnessSetup, sparsities: number[]): Promise<number> {
  const o = setup.options;
  applyOneShotMasks(ctx, setup.targets, sparsities);
  await recalibrate(ctx, o.seed + 29, true);
  const z = await predictLogits(ctx.logits, ctx.ds, setup.images, o.preprocess, evalBatch(ctx), ctx.signal);
  return fitnessOf(scoreLogits(z, setup.dense, setup.classes, setup.labels), o);
}

/**
 * A worker's fitness context around its own copy of the model (loaded from the run's files):
 * the same prunable kernels in the same order, their dense values read from the copy.
 */
export async function workerFitnessContext(model: tf.LayersModel, ds: Dataset, setup: FitnessSetup, signal: AbortSignal): Promise<FitnessContext> {
  const o = setup.options;
  const found = findPrunableKernels(model, { keepFirstDense: o.keepFirstDense, keepLastDense: o.keepLastDense });
  const kernels = found.map((k) => ({ variable: k.variable, shape: k.summary.shape }));
  if (kernels.length !== setup.targets.length) {
    throw new Error(`fitness worker: the model copy has ${kernels.length} prunable kernels, the run ${setup.targets.length}`);
  }
  const hasBatchNorm = layersOfClass(model, 'BatchNormalization').length > 0;
  if (!hasBatchNorm) rememberDenseWeights(model);
  return {
    model,
    logits: makeLogitsFn(model).logits,
    ds,
    calib: setup.calib,
    layers: found.map((k) => k.summary),
    kernels,
    denseKernels: await readKernels(kernels),
    options: o,
    signal,
    classes: setup.classes,
    hasBatchNorm,
  };
}

/** Frees what a worker's fitness context keeps between evaluations (not the model). */
export function releaseFitnessContext(ctx: FitnessContext): void {
  releaseBnInputs(ctx);
}

/** The setup of a run's search: its fitness images, with the dense model's logits and the labels on them. */
export async function buildFitnessSetup(ctx: RunContext, targets: LayerTarget[]): Promise<FitnessSetup> {
  const o = ctx.options;
  const images = fitnessImagesOf(ctx);
  const dense = await predictLogits(ctx.teacherLogits, ctx.ds, images, o.preprocess, evalBatch(ctx), ctx.signal);
  return { options: o, targets, calib: ctx.calib, images, dense, labels: labelsOf(ctx.ds, images), classes: ctx.classes };
}

/**
 * Fitness evaluations side by side: one at a time on the run's own model, the others in a host's
 * workers. `width` evaluations may be in flight; each goes to the run's model when it is free,
 * else to a worker. If a worker fails, the workers are stopped (`onWorkerFailure` hears why) and
 * that evaluation, like every later one, runs on the run's model: the search goes on.
 */
export class FitnessRunner {
  private local = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private workers: FitnessWorkers | null;

  constructor(
    private readonly ctx: FitnessContext,
    readonly setup: FitnessSetup,
    workers: FitnessWorkers | null = null,
    private readonly onWorkerFailure: (message: string) => void = () => {},
  ) {
    this.workers = workers;
  }

  /** Evaluations that can run at once. */
  get width(): number {
    return 1 + (this.workers?.size ?? 0);
  }

  /** The fitness of `sparsities`, wherever a slot is free. */
  async evaluate(sparsities: number[]): Promise<number> {
    const workers = this.workers;
    if (this.local === 0 || !workers) return this.evaluateHere(sparsities);
    try {
      return await workers.evaluate(sparsities);
    } catch (e) {
      if (this.workers === workers) {
        this.onWorkerFailure(errorMessage(e));
        await this.dropWorkers();
      }
      return this.evaluateHere(sparsities);
    }
  }

  /** Queued on the run's own model, one at a time. */
  private evaluateHere(sparsities: number[]): Promise<number> {
    this.local++;
    const run = this.chain.then(() => evaluateFitness(this.ctx, this.setup, sparsities));
    this.chain = run.catch(() => undefined).finally(() => this.local--);
    return run;
  }

  /** Stops the workers (if any); evaluations then run on the run's model only. */
  async dropWorkers(): Promise<void> {
    const w = this.workers;
    this.workers = null;
    await w?.close();
  }

  /** Stops the workers and frees the kept BN batches. */
  async close(): Promise<void> {
    await this.dropWorkers();
    await this.chain;
    releaseFitnessContext(this.ctx);
  }
}
