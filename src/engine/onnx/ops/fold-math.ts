/** Arithmetic on constants at import (shape computations and constant subgraphs). */
import type { ImportContext } from '../context';
import type { NodeProto } from '../proto/types';
import { type ConstValue, constant, sizeOf, strides } from '../values';

/** Binary ops that fold. */
export type FoldOp = 'add' | 'sub' | 'mul' | 'div' | 'matmul';

/** NumPy broadcast shape of two shapes, or null when they do not broadcast. */
export function broadcastDims(a: number[], b: number[]): number[] | null {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** `v`'s values broadcast to `dims`. */
export function expandTo(v: ConstValue, dims: number[]): Float64Array {
  const n = sizeOf(dims);
  const src = [...new Array<number>(dims.length - v.dims.length).fill(1), ...v.dims];
  const st = strides(src);
  const out = new Float64Array(n);
  const idx = new Array<number>(dims.length).fill(0);
  for (let o = 0; o < n; o++) {
    let s = 0;
    for (let a = 0; a < dims.length; a++) s += (src[a] === 1 ? 0 : idx[a]!) * st[a]!;
    out[o] = v.data[s]!;
    for (let a = dims.length - 1; a >= 0; a--) {
      if (++idx[a]! < dims[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

/** a (op) b for constants. */
export function foldBinary(ctx: ImportContext, node: NodeProto, a: ConstValue, b: ConstValue, op: FoldOp): ConstValue {
  const dtype = a.dtype === 'float' || b.dtype === 'float' ? 'float' : 'int';
  if (op === 'matmul') {
    if (a.dims.length !== 2 || b.dims.length !== 2 || a.dims[1] !== b.dims[0]) throw ctx.fail(node, 'folds only 2-D constant matrix products.');
    const [m, k, n] = [a.dims[0]!, a.dims[1]!, b.dims[1]!];
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a.data[i * k + t]! * b.data[t * n + j]!;
      out[i * n + j] = s;
    }
    return constant([m, n], out, dtype);
  }
  const dims = broadcastDims(a.dims, b.dims);
  if (!dims) throw ctx.fail(node, `shapes [${a.dims.join(', ')}] and [${b.dims.join(', ')}] do not broadcast.`);
  const x = expandTo(a, dims);
  const y = expandTo(b, dims);
  const f = {
    add: (p: number, q: number) => p + q,
    sub: (p: number, q: number) => p - q,
    mul: (p: number, q: number) => p * q,
    div: (p: number, q: number) => (dtype === 'int' ? Math.trunc(p / q) : p / q),
  }[op];
  return constant(dims, x.map((v, i) => f(v, y[i]!)), dtype);
}
