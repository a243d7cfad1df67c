import * as tf from '@tensorflow/tfjs';
import { magnitudeMask } from '../../core/masks/magnitude';
import { nmMask } from '../../core/masks/nm';
import type { MaskSpec } from '../masks/device-masks';

/** A kernel variable with its shape. */
export interface KernelRef {
  variable: tf.LayerVariable;
  shape: number[];
}

/** Copies of every weight of the model (BN moving statistics included). */
export function snapshot(model: tf.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => w.clone());
}

/** Puts a snapshot back (the snapshot stays owned by the caller). */
export function restore(model: tf.LayersModel, snap: tf.Tensor[]): void {
  model.setWeights(snap);
}

export function disposeAll(tensors: tf.Tensor[] | null | undefined): void {
  tensors?.forEach((t) => t.dispose());
}

/** Current values of the kernels, on the host. */
export async function readKernels(kernels: KernelRef[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const k of kernels) out.push((await k.variable.read().data()) as Float32Array);
  return out;
}

/** Exact host mask (1 = kept) of a kernel for a spec; matches the device masks' tie rule. */
export function hostMask(w: Float32Array, shape: number[], spec: MaskSpec): Uint8Array {
  if (spec.kind === 'dense') return new Uint8Array(w.length).fill(1);
  if (spec.kind === 'nm') return nmMask(w, shape, spec.n, spec.m);
  return magnitudeMask(w, 1 - spec.keep / Math.max(w.length, 1));
}

/** Writes dense * mask into each kernel variable. */
export function writeMasked(kernels: KernelRef[], dense: Float32Array[], masks: Uint8Array[]): void {
  kernels.forEach((k, i) => {
    const w = dense[i]!;
    const m = masks[i]!;
    const out = new Float32Array(w.length);
    for (let j = 0; j < w.length; j++) out[j] = m[j] ? w[j]! : 0;
    const t = tf.tensor(out, k.shape);
    k.variable.write(t);
    t.dispose();
  });
}
