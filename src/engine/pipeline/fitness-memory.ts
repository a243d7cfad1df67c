/**
 * What one search worker holds while the search runs, estimated before it starts, so that a host can start no more
 * workers than its free memory holds: its own runtime and model (measured in Node: about 140 MB with TF.js and the
 * wasm backend), the calibration images, the noisy BN batches it keeps (context.ts) and the activations of a batch
 * at the search's evaluation size. MobileNet v1 0.25 at batch 64 on 100 photos: estimated 0.35 GB, measured 0.38 GB.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/types';
import { BN_INPUT_CACHE_BYTES, evalBatch } from './context';
import type { FitnessSetup } from './fitness';

/** A worker's runtime (V8, TF.js, the compiled wasm backend) and its copy of a small model. */
export const WORKER_BASE_BYTES = 140 * 2 ** 20;

/** Live activations at a layer boundary of an inference pass: the layer's input and output, and one more kept. */
const LIVE_ACTIVATIONS = 3;

/** Float32 values of the largest activation one image makes in `model`. */
function largestActivation(model: tf.LayersModel): number {
  let most = 0;
  for (const layer of model.layers) {
    const shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as (number | null)[][];
    for (const s of shapes) most = Math.max(most, s.slice(1).reduce<number>((p, d) => p * (d ?? 1), 1));
  }
  return most;
}

/** Estimated bytes one search worker holds for `model` evaluating genomes on `ds` with `setup`. */
export function searchWorkerBytes(model: tf.LayersModel, ds: Dataset, setup: FitnessSetup): number {
  const o = setup.options;
  const image = ds.height * ds.width * ds.channels;
  const bnImages = o.bnBatches > 0 ? Math.min(setup.calib.length, o.bnBatches * o.batchSize) : setup.calib.length;
  const bnCache = bnImages * image * 4;
  const batch = Math.max(o.batchSize, evalBatch({ options: o }));
  return WORKER_BASE_BYTES + ds.count * image + (bnCache <= BN_INPUT_CACHE_BYTES ? bnCache : 0) + LIVE_ACTIVATIONS * largestActivation(model) * batch * 4;
}

/**
 * Workers to start of `wanted` when each needs `perWorker` bytes and `free` are free: those that fit in half the free
 * memory (the run's own thread and the system keep the rest), and a note when that is fewer than wanted.
 */
export function workersThatFit(wanted: number, perWorker: number, free: number): { count: number; note: string | null } {
  const fit = Math.max(0, Math.floor((0.5 * free) / Math.max(1, perWorker)));
  if (fit >= wanted) return { count: wanted, note: null };
  const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;
  return {
    count: fit,
    note: `Search workers: ${fit} of ${wanted} started: each needs about ${mb(perWorker)} and ${mb(free)} of memory is free (they may use half).`,
  };
}
