/** Random-image fitness set-ups for the search-worker tests and the bench (no real photos needed). */
import type * as tf from '@tensorflow/tfjs';
import type { PruneOptions } from '../core/options';
import { Rng } from '../core/rng';
import type { Dataset } from '../engine/data/types';
import { predictLogits } from '../engine/eval/evaluate';
import { makeLogitsFn } from '../engine/model/logits';
import { findPrunableKernels } from '../engine/model/prunable';
import { workerFitnessContext, type FitnessContext, type FitnessSetup } from '../engine/pipeline/fitness';
import { fitnessImagesOf } from '../engine/pipeline/fitness-images';
import { patternTargets } from '../engine/pipeline/plan';

/** Seeded random images at the model's input size, labelled with random classes. */
export function randomImages(model: tf.LayersModel, count: number, classes: number): Dataset {
  const [h, w, c] = model.inputs[0]!.shape.slice(1) as number[];
  const rng = new Rng(5);
  return {
    height: h!, width: w!, channels: c!, squeezeChannel: false, count,
    pixels: Uint8Array.from({ length: count * h! * w! * c! }, () => rng.int(256)),
    labels: Int32Array.from({ length: count }, () => rng.int(classes)),
    paths: Array.from({ length: count }, (_, i) => `calib/${i}.png`), classNames: null,
  };
}

/**
 * A search's fitness setup on `ds` (every image calibrates, `fitnessImages` of them are scored,
 * against the dense model's logits) and this thread's fitness context for it.
 */
export async function prepare(model: tf.LayersModel, ds: Dataset, o: PruneOptions): Promise<{ setup: FitnessSetup; here: FitnessContext }> {
  const layers = findPrunableKernels(model, { keepFirstDense: o.keepFirstDense, keepLastDense: o.keepLastDense }).map((k) => k.summary);
  const calib = [...Array(ds.count).keys()];
  const images = fitnessImagesOf({ options: o, calib });
  const dense = await predictLogits(makeLogitsFn(model).logits, ds, images, o.preprocess, 32);
  const setup: FitnessSetup = {
    options: o, targets: patternTargets(layers, o), calib, images, dense,
    labels: Int32Array.from(images, (i) => ds.labels![i]!), classes: dense.length / images.length,
  };
  return { setup, here: await workerFitnessContext(model, ds, setup, new AbortController().signal) };
}

/** Per-layer sparsities that differ from layer to layer, seeded. */
export function genome(layers: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: layers }, () => 0.3 + 0.6 * rng.next());
}
