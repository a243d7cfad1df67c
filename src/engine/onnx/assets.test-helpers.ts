/** The checked-in ONNX ResNets and ONNX Runtime logits for tests and scripts (Node only). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { NamedBytes } from '../../core/session-types';

/** assets/resnet-cifar10-onnx in the repository. */
export const ONNX_ASSETS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assets', 'resnet-cifar10-onnx');

/** One asset as a dropped file. */
export function onnxAsset(name: 'resnet32.onnx' | 'resnet56-bn.onnx'): NamedBytes {
  const buf = readFileSync(join(ONNX_ASSETS, name));
  return { path: name, bytes: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer };
}

/** ONNX Runtime's output for an NCHW float32 batch. */
export async function ortLogits(bytes: ArrayBuffer | Uint8Array, nchw: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  try {
    const inputName = session.inputNames[0]!;
    const out = await session.run({ [inputName]: new ort.Tensor('float32', nchw, shape) });
    return out[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** NHWC -> NCHW of a [n, h, w, c] batch. */
export function toNchw(nhwc: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(nhwc.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) {
    out[((b * c + k) * h + y) * w + x] = nhwc[((b * h + y) * w + x) * c + k]!;
  }
  return out;
}

/** Largest absolute difference of two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
