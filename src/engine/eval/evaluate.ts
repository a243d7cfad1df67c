import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../../core/abort';
import type { Metrics } from '../../core/events';
import { scoreLogits } from '../../core/metrics/score';
import type { Preprocess } from '../../core/options';
import { toTensor } from '../data/preprocess';
import type { Dataset } from '../data/types';

/** Function from an input batch to logits [batch, classes]. */
export type LogitsFn = (x: tf.Tensor, training: boolean) => tf.Tensor2D;

/** Logits of the model (inference mode) for the given images, [indices.length * classes]. */
export async function predictLogits(
  logits: LogitsFn,
  ds: Dataset,
  indices: number[],
  preprocess: Preprocess,
  batchSize: number,
  signal?: { aborted: boolean },
): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (let i = 0; i < indices.length; i += batchSize) {
    throwIfAborted(signal);
    const out = tf.tidy(() => logits(toTensor(ds, indices.slice(i, i + batchSize), preprocess), false));
    parts.push((await out.data()) as Float32Array);
    out.dispose();
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const all = new Float32Array(total);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  return all;
}

/** Labels of the given images, or null for an unlabelled set. */
export function labelsOf(ds: Dataset, indices: number[]): Int32Array | null {
  return ds.labels ? Int32Array.from(indices, (i) => ds.labels![i]!) : null;
}

/** Scores the model on `indices` against labels and the dense model's logits on the same images. */
export async function evaluate(
  logits: LogitsFn,
  ds: Dataset,
  indices: number[],
  denseLogits: Float32Array,
  classes: number,
  preprocess: Preprocess,
  batchSize: number,
  signal?: { aborted: boolean },
): Promise<Metrics> {
  const z = await predictLogits(logits, ds, indices, preprocess, batchSize, signal);
  return scoreLogits(z, denseLogits, classes, labelsOf(ds, indices));
}
