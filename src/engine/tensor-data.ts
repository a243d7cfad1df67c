import * as tf from '@tensorflow/tfjs';
import type { TensorData } from '../core/checkpoint';

/** Reads a tensor to the host. */
export async function toTensorData(t: tf.Tensor): Promise<TensorData> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  const source = dtype === t.dtype ? t : t.cast('float32');
  try {
    // A copy: the backend may hand out its own buffer.
    const values = ((await source.data()) as Float32Array | Int32Array).slice();
    return { shape: [...t.shape], dtype, values };
  } finally {
    if (source !== t) source.dispose();
  }
}

export async function toTensorDataAll(ts: readonly tf.Tensor[]): Promise<TensorData[]> {
  const out: TensorData[] = [];
  for (const t of ts) out.push(await toTensorData(t));
  return out;
}

/** A new tensor holding `d` (the caller disposes it). */
export function fromTensorData(d: TensorData): tf.Tensor {
  return tf.tensor(d.values, d.shape, d.dtype);
}

/** Writes saved weights into the model, after checking they fit it. */
export function setModelWeights(model: tf.LayersModel, saved: readonly TensorData[]): void {
  const current = model.weights;
  if (current.length !== saved.length) {
    throw new Error(`The checkpoint holds ${saved.length} weights; this model has ${current.length}.`);
  }
  saved.forEach((d, i) => {
    const want = current[i]!.shape.join('x');
    if (d.shape.join('x') !== want) throw new Error(`Checkpoint weight ${i} is ${d.shape.join('x')}; the model's ${current[i]!.originalName} is ${want}.`);
  });
  const tensors = saved.map(fromTensorData);
  try {
    model.setWeights(tensors);
  } finally {
    tensors.forEach((t) => t.dispose());
  }
}
