/** Helpers for the wasm-grad tests: seeded data and cpu-vs-wasm comparison. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng';

/** `n` standard normals from a seeded generator. */
export function normals(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** Runs `f` on `backend` and returns its result's values (the tensor is disposed). */
export async function valuesOn(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const t = tf.tidy(f);
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return v;
}

/** Largest |a - b| divided by the largest |a|, or by `floor` when that is larger (1 when both are 0). */
export function relativeError(a: Float32Array, b: Float32Array, floor = 0): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  return diff / (Math.max(scale, floor) || 1);
}
