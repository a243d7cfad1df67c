/**
 * An estimate of a training step's activation memory per image, from the model's layer output
 * shapes: what the forward keeps for the backward pass plus the gradients TF.js holds until
 * the backward pass ends (it frees none of them sooner).
 */
import * as tf from '@tensorflow/tfjs';
import { planChunks, type ChunkPlan } from '../../core/memory/chunks';
import { leafLayers } from '../model/kernels';

/**
 * Bytes per image for every float of layer output. With the lean training layers
 * (lean-training.ts) a conv-BN-activation block keeps two of its three outputs and holds one
 * gradient per output, and the backward pass briefly needs a few more of its largest: measured
 * on MobileNet v1 0.25 (wasm heap growth of 36 MB per image of batch, 14.4 MB of layer
 * outputs), 2.5; 3 leaves room for the allocator.
 */
const BYTES_PER_OUTPUT_FLOAT = 4 * 3;

/** Floats one image produces across every layer's output (nested models included). */
export function outputFloatsPerImage(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of leafLayers(model)) {
    if (layer.getClassName() === 'InputLayer') continue;
    const shapes = layer.outputShape;
    const list = (Array.isArray(shapes[0]) ? shapes : [shapes]) as (number | null)[][];
    for (const s of list) total += s.slice(1).reduce<number>((p, d) => p * (d ?? 1), 1);
  }
  return total;
}

/** Estimated activation bytes of a training step per image of batch. */
export function trainingBytesPerImage(model: tf.LayersModel): number {
  return outputFloatsPerImage(model) * BYTES_PER_OUTPUT_FLOAT;
}

/** How a step of `batch` images splits under `stepMemoryMB` (0 = no limit) on `model`. */
export function stepChunks(model: tf.LayersModel, batch: number, stepMemoryMB: number): ChunkPlan {
  return planChunks(batch, trainingBytesPerImage(model), stepMemoryMB * 2 ** 20);
}
