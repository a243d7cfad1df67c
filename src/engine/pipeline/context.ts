import type * as tf from '@tensorflow/tfjs';
import type { LayerSummary, Metrics, ProgressCallback } from '../../core/events';
import type { PruneOptions } from '../../core/options';
import { Rng } from '../../core/rng';
import { toTensor } from '../data/preprocess';
import type { Dataset } from '../data/types';
import { evaluate, type LogitsFn } from '../eval/evaluate';
import { reestimateBatchNorm } from '../train/bn-reestimate';
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

/** Eval batch size: inference needs no gradients, so larger batches are fine. */
export function evalBatch(ctx: RunContext): number {
  return Math.max(ctx.options.batchSize, 32);
}

/** Calibration batches (no augmentation) for BN re-estimation: `bnBatches` of them, 0 = all. */
export function* bnBatchesOf(ctx: RunContext, rng: Rng): Generator<tf.Tensor> {
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

/** Re-estimates BN statistics (if any) of the current weights from calibration batches. */
export async function reestimate(ctx: RunContext, seed: number): Promise<void> {
  if (!ctx.hasBatchNorm) return;
  await reestimateBatchNorm(ctx.model, bnBatchesOf(ctx, new Rng(seed)), ctx.options.bnNoise, ctx.signal, seed);
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
