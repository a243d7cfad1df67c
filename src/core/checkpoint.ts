/**
 * A run's resumable state as plain data (typed arrays, no TF.js): the worker sends it to the
 * page, the page keeps it in IndexedDB, and a later run continues from it with the same
 * result as an uninterrupted one.
 */
import type { Metrics } from './events';
import type { PruneOptions } from './options';
import type { RngState } from './rng';

/** A tensor's values on the host. */
export interface TensorData {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/** The optimiser's state inside dynamic sparse training. */
export interface TrainerState {
  /** Steps the trainer has taken (decides when masks are recomputed). */
  steps: number;
  /** Dense (straight-through) weights of each masked kernel. */
  dense: TensorData[];
  /** Current mask of each masked kernel (1 = kept). */
  masks: Uint8Array[];
  /** Mask at the last churn reading. */
  lastLogged: Uint8Array[];
  /** SGD momentum of each masked kernel. */
  velocity: TensorData[];
  /** SGD momentum of the other trainable weights, in model order. */
  otherVelocity: TensorData[];
  /** Each masked kernel's per-channel scale and its momentum (null: none); absent in older checkpoints. */
  scales?: ({ value: TensorData; velocity: TensorData } | null)[];
}

/** Where training stood after a completed step. */
export interface TrainProgress {
  /** Steps done. */
  step: number;
  /** Epoch of the next step. */
  epoch: number;
  /** Batch index within `epoch` of the next step. */
  batch: number;
  /** Image order of `epoch`. */
  order: number[];
  /** The run's generator after the step (shuffles and augmentation draw from it). */
  rng: RngState;
  /** Lowest divergence gap so far (divergence.ts: the KL for the distillation objectives). */
  minLoss: number;
  /** Peak learning rate of this attempt (an automatic rate backs off after a divergence); absent in older checkpoints. */
  lr?: number;
  /** Automatic-rate restarts so far. */
  restarts?: number;
  /** The step the current attempt began at (0 before any restart). */
  attemptStart?: number;
  /** Epochs of the attempt (a budgeted run re-plans them after its first); absent in older checkpoints. */
  epochs?: number;
  /** Summed wall time of the steps so far, ms. */
  stepMs: number;
  /** Training wall time so far, ms (steps, evaluations, checkpoints). */
  trainMs: number;
  /** Every weight of the model (masked kernels, biases, BN statistics), in getWeights order. */
  weights: TensorData[];
  trainer: TrainerState;
}

/** A scored set of weights kept as the best so far. */
export interface SavedCheckpoint {
  metrics: Metrics;
  step: number;
  weights: TensorData[];
}

export interface RunCheckpoint {
  version: 1;
  /** The settings of the run; a resume uses exactly these. */
  options: PruneOptions;
  /** The settings a time budget cut them to (search and DST lengths), which a resume keeps. */
  planned?: PruneOptions;
  /** Fingerprints of the model and the images: a resume refuses other inputs. */
  modelKey: string;
  imagesKey: string;
  split: { calib: number[]; heldOut: number[] };
  /** Chosen per-layer sparsities, and how the search went. */
  sparsities: number[];
  search: { generation: number; best: number; mean: number }[];
  searchSeconds: number;
  fitnessSeconds: number;
  /** The run's generator as training began (its shuffles and augmentation continue from it). */
  rng: RngState;
  dense: Metrics;
  oneShot: Metrics;
  oneShotWeights: TensorData[];
  /** Best held-out checkpoint of training so far; null while the one-shot model is best. */
  best: SavedCheckpoint | null;
  /** Null when taken before the first training step. */
  train: TrainProgress | null;
  createdAt: string;
}

/** FNV-1a over strings and bytes, as 8 hex digits: a cheap fingerprint, not a security hash. */
export function fingerprint(...parts: (string | Uint8Array)[]): string {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const n = part.length;
    for (let i = 0; i < n; i++) {
      h ^= typeof part === 'string' ? part.charCodeAt(i) : part[i]!;
      h = Math.imul(h, 0x01000193);
    }
    // Part boundaries count: ("ab", "c") and ("a", "bc") differ.
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Bytes of tensor data a checkpoint holds (shown to the user as the size of what is saved). */
export function checkpointBytes(c: RunCheckpoint): number {
  const sum = (ts: TensorData[]) => ts.reduce((s, t) => s + t.values.byteLength, 0);
  let bytes = sum(c.oneShotWeights) + (c.best ? sum(c.best.weights) : 0);
  if (c.train) {
    const t = c.train.trainer;
    bytes += sum(c.train.weights) + sum(t.dense) + sum(t.velocity) + sum(t.otherVelocity);
    bytes += [...t.masks, ...t.lastLogged].reduce((s, m) => s + m.byteLength, 0);
  }
  return bytes;
}
