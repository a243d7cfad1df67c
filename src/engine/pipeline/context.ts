import * as tf from '@tensorflow/tfjs';
import type { LayerSummary, Metrics, ProgressCallback } from '../../core/events';
import type { PruneOptions } from '../../core/options';
import { Rng } from '../../core/rng';
import { toTensor } from '../data/preprocess';
import type { Dataset } from '../data/types';
import { evaluate, type LogitsFn } from '../eval/evaluate';
import { reestimateBatchNorm, withBnNoise } from '../train/bn-reestimate';
import { matchOutputStatistics } from '../train/stats-match';
import type { KernelRef } from './weights';

/** Everything the phases of one run share. */
export interface RunContext {
  model: tf.LayersModel;
  /** The dense teacher (a frozen copy of the model). */
  teacher: tf.LayersModel;
  logits: LogitsFn;
  teacherLogits: LogitsFn;
  ds: Dataset;
  classes: number;
  /** Image indices used for calibration (search, BN, training). */
  calib: number[];
  /** Image indices used only for scoring. */
  heldOut: number[];
  /** Prunable kernels in model order (dense-kept ones included). */
  layers: LayerSummary[];
  kernels: KernelRef[];
  /** Dense values of every prunable kernel. */
  denseKernels: Float32Array[];
  /** Dense logits on the held-out images. */
  denseHeldOutLogits: Float32Array;
  options: PruneOptions;
  emit: ProgressCallback;
  signal: AbortSignal;
  rng: Rng;
  hasBatchNorm: boolean;
  warnings: string[];
}

/** The fields BN re-estimation reads. */
export type BnContext = Pick<RunContext, 'model' | 'ds' | 'calib' | 'options' | 'signal' | 'hasBatchNorm'>;

/** Eval batch size: inference needs no gradients, so larger batches are fine. */
export function evalBatch(ctx: Pick<RunContext, 'options'>): number {
  return Math.max(ctx.options.batchSize, 32);
}

/** Calibration batches (no augmentation) for BN re-estimation: `bnBatches` of them, 0 = all. */
export function* bnBatchesOf(ctx: BnContext, rng: Rng): Generator<tf.Tensor> {
  const order = rng.shuffle([...ctx.calib]);
  const b = ctx.options.batchSize;
  const max = ctx.options.bnBatches > 0 ? ctx.options.bnBatches : Infinity;
  for (let i = 0, n = 0; i < order.length && n < max; i += b, n++) {
    const idx = order.slice(i, i + b);
    // A batch of one has no variance; fold it into the previous batch's count instead.
    if (idx.length < 2 && n > 0) break;
    yield toTensor(ctx.ds, idx, ctx.options.preprocess);
  }
}

/**
 * Most bytes of noisy BN batches a run keeps for re-use (see reestimate). Above it each
 * re-estimation builds its batches again.
 */
export const BN_INPUT_CACHE_BYTES = 256 * 2 ** 20;

/** Noisy BN batches kept between re-estimations that use the same seed and settings. */
interface BnInputs {
  key: string;
  batches: tf.Tensor[];
}

const bnInputs = new WeakMap<BnContext, BnInputs>();

/** Float32 bytes of the batches bnBatchesOf yields with the current options. */
function bnInputBytes(ctx: BnContext): number {
  const o = ctx.options;
  const images = o.bnBatches > 0 ? Math.min(ctx.calib.length, o.bnBatches * o.batchSize) : ctx.calib.length;
  return images * ctx.ds.height * ctx.ds.width * ctx.ds.channels * 4;
}

/** Frees the batches `reestimate(ctx, seed, true)` kept (call when the search is over). */
export function releaseBnInputs(ctx: BnContext): void {
  const kept = bnInputs.get(ctx);
  if (!kept) return;
  tf.dispose(kept.batches);
  bnInputs.delete(ctx);
}

/** The noisy BN batches of `seed` as the kept set (built once, until releaseBnInputs) or null when they are too big to keep. */
function keptBnInputs(ctx: BnContext, seed: number): BnInputs | null {
  if (bnInputBytes(ctx) > BN_INPUT_CACHE_BYTES) return null;
  const key = bnInputKey(ctx, seed);
  let kept = bnInputs.get(ctx);
  if (kept?.key !== key) {
    releaseBnInputs(ctx);
    kept = { key, batches: [...freshNoisyBatches(ctx, seed)] };
    bnInputs.set(ctx, kept);
  }
  return kept;
}

function bnInputKey(ctx: BnContext, seed: number): string {
  const o = ctx.options;
  return `${seed}/${o.batchSize}/${o.bnBatches}/${o.bnNoise}/${o.preprocess}`;
}

/** Fresh clones of kept batches (their receiver disposes them; the kept buffers stay). */
function* clones(batches: tf.Tensor[]): Generator<tf.Tensor> {
  for (const b of batches) yield b.clone();
}

/** The noisy BN batches of `seed`, built afresh (batch k carries the noise of seed + k). */
function* freshNoisyBatches(ctx: BnContext, seed: number): Generator<tf.Tensor> {
  const noise = ctx.options.bnNoise;
  let k = 0;
  for (const x of bnBatchesOf(ctx, new Rng(seed))) {
    if (noise <= 0) {
      yield x;
      continue;
    }
    const y = tf.tidy(() => withBnNoise(x, noise, seed + k));
    x.dispose();
    k++;
    yield y;
  }
}

/**
 * Re-estimates BN statistics (if any) of the current weights from calibration batches. With
 * `reuse` (the search, which re-estimates every genome on the same batches and noise) the noisy
 * batches are built once and kept until releaseBnInputs: the values are the same, without a
 * fresh shuffle, conversion and Gaussian draw per genome (the draw alone was 0.4 s of a 2-3 s
 * MobileNet fitness evaluation). Batches over BN_INPUT_CACHE_BYTES are not kept.
 */
export async function reestimate(ctx: BnContext, seed: number, reuse = false): Promise<void> {
  if (!ctx.hasBatchNorm) return;
  const kept = reuse ? keptBnInputs(ctx, seed) : null;
  if (!kept) {
    await reestimateBatchNorm(ctx.model, bnBatchesOf(ctx, new Rng(seed)), ctx.options.bnNoise, ctx.signal, seed);
    return;
  }
  // Clones share the kept buffers; reestimateBatchNorm disposes what it is given.
  await reestimateBatchNorm(ctx.model, clones(kept.batches), 0, ctx.signal, seed);
}

/**
 * What follows pruning before a model is scored (one-shot, fitness): BN re-estimation for a model
 * with BatchNorm layers; for one without (BatchNorm folded into the convolutions), each conv and
 * dense layer's output statistics matched to the dense model's on the same noisy batches
 * (train/stats-match.ts), unless `matchStatistics` is off. Training's validation checks only
 * re-estimate (`reestimate`): a match rewrites the weights being trained.
 */
export async function recalibrate(ctx: BnContext, seed: number, reuse = false): Promise<void> {
  if (ctx.hasBatchNorm) return reestimate(ctx, seed, reuse);
  if (!ctx.options.matchStatistics) return;
  const kept = reuse ? keptBnInputs(ctx, seed) : null;
  matchOutputStatistics(ctx.model, () => (kept ? clones(kept.batches) : freshNoisyBatches(ctx, seed)), bnInputKey(ctx, seed), ctx.signal);
  await tf.nextFrame();
}

/** Held-out scores of the model as it stands. */
export function scoreHeldOut(ctx: RunContext): Promise<Metrics> {
  return evaluate(
    ctx.logits,
    ctx.ds,
    ctx.heldOut,
    ctx.denseHeldOutLogits,
    ctx.classes,
    ctx.options.preprocess,
    evalBatch(ctx),
    ctx.signal,
  );
}
