/**
 * What flows between ONNX nodes during import: folded constants (plain arrays in ONNX order) or
 * symbolic TF.js tensors with their ONNX shape and where each ONNX axis lives in the TF.js tensor.
 */
import type * as tf from '@tensorflow/tfjs';

/** A constant known at import time, in ONNX (row-major, ONNX axis order) layout. */
export interface ConstValue {
  kind: 'const';
  /** ONNX dims. */
  dims: number[];
  /** Values; integers are exact up to 2^53. */
  data: Float64Array;
  /** Element type family; floats are rounded to float32. */
  dtype: 'float' | 'int' | 'bool';
}

/** A value computed by the TF.js graph. */
export interface SymValue {
  kind: 'sym';
  t: tf.SymbolicTensor;
  /** ONNX shape, batch (axis 0) taken as 1 for shape arithmetic. */
  shape: number[];
  /** layout[i] = the TF.js axis that holds ONNX axis i (axis 0, the batch, stays 0). */
  layout: number[];
}

export type Value = ConstValue | SymValue;

/** ONNX NCHW held as TF.js NHWC: C sits on TF axis 3, H on 1, W on 2. */
export const CHANNELS_LAST = [0, 3, 1, 2];

/** The identity layout of a rank. */
export const plain = (rank: number): number[] => Array.from({ length: rank }, (_, i) => i);

/** Element count of a shape. */
export const sizeOf = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);

/** A constant from values. */
export function constant(dims: number[], values: ArrayLike<number>, dtype: ConstValue['dtype']): ConstValue {
  const data = Float64Array.from(values, (v) => (dtype === 'float' ? Math.fround(v) : v));
  return { kind: 'const', dims, data, dtype };
}

/** Row-major strides of a shape. */
export function strides(dims: number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

/** out[i] = x transposed so that output axis i is input axis perm[i]. */
export function transposeData(data: ArrayLike<number>, dims: number[], perm: number[]): { data: Float64Array; dims: number[] } {
  const outDims = perm.map((p) => dims[p]!);
  const inStrides = strides(dims);
  const n = sizeOf(dims);
  const out = new Float64Array(n);
  const idx = new Array<number>(outDims.length).fill(0);
  for (let o = 0; o < n; o++) {
    let src = 0;
    for (let a = 0; a < idx.length; a++) src += idx[a]! * inStrides[perm[a]!]!;
    out[o] = data[src]!;
    for (let a = idx.length - 1; a >= 0; a--) {
      if (++idx[a]! < outDims[a]!) break;
      idx[a] = 0;
    }
  }
  return { data: out, dims: outDims };
}

/** The TF.js shape of a symbolic value (batch as null). */
export function tfShape(v: SymValue): (number | null)[] {
  const out = new Array<number | null>(v.shape.length).fill(null);
  v.layout.forEach((tfAxis, onnxAxis) => (out[tfAxis] = onnxAxis === 0 ? null : v.shape[onnxAxis]!));
  return out;
}

/** The inverse of a layout: onnxAxisOf[tfAxis]. */
export function onnxAxes(layout: number[]): number[] {
  const inv = new Array<number>(layout.length).fill(0);
  layout.forEach((t, o) => (inv[t] = o));
  return inv;
}
