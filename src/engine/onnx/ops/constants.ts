/**
 * Ops that only compute shapes or constants, folded at import for the model's fixed input size:
 * Constant, Shape, Gather, ConstantOfShape, Cast, Range.
 */
import { attrFloat, attrFloats, attrInt, attrInts, attrTensor, hasAttr } from '../attributes';
import { tensorValue } from '../tensor-data';
import { type ConstValue, constant, sizeOf } from '../values';
import type { OpImporter } from './op';

export const constantOp: OpImporter = (ctx, node) => {
  const t = attrTensor(node, 'value');
  if (t) return [tensorValue(t, ctx.file, new Map())];
  if (hasAttr(node, 'value_float')) return [constant([], [attrFloat(node, 'value_float', 0)], 'float')];
  if (hasAttr(node, 'value_floats')) {
    const v = attrFloats(node, 'value_floats', []);
    return [constant([v.length], v, 'float')];
  }
  if (hasAttr(node, 'value_int')) return [constant([], [attrInt(node, 'value_int', 0)], 'int')];
  if (hasAttr(node, 'value_ints')) {
    const v = attrInts(node, 'value_ints', []);
    return [constant([v.length], v, 'int')];
  }
  throw ctx.fail(node, 'holds no value the importer reads (sparse or string constants are not supported).');
};

export const shape: OpImporter = (ctx, node) => {
  const x = ctx.input(node, 0)!;
  // The batch axis is taken as 1: the model is imported for a fixed image size, any batch.
  const dims = x.kind === 'const' ? x.dims : x.shape;
  const r = dims.length;
  const norm = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const s = dims.slice(norm(attrInt(node, 'start', 0)), norm(attrInt(node, 'end', r)));
  return [constant([s.length], s, 'int')];
};

export const gather: OpImporter = (ctx, node) => {
  const data = ctx.constInput(node, 0, 'data');
  const idx = ctx.constInput(node, 1, 'indices');
  const raw = attrInt(node, 'axis', 0);
  const axis = raw < 0 ? raw + data.dims.length : raw;
  const n = data.dims[axis]!;
  const outer = sizeOf(data.dims.slice(0, axis));
  const inner = sizeOf(data.dims.slice(axis + 1));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const iv of idx.data) {
      const i = iv < 0 ? iv + n : iv;
      if (i < 0 || i >= n) throw ctx.fail(node, `index ${iv} is outside an axis of size ${n}.`);
      for (let k = 0; k < inner; k++) out.push(data.data[(o * n + i) * inner + k]!);
    }
  }
  const dims = [...data.dims.slice(0, axis), ...idx.dims, ...data.dims.slice(axis + 1)];
  return [constant(dims, out, data.dtype)];
};

export const constantOfShape: OpImporter = (ctx, node) => {
  const dims = Array.from(ctx.constInput(node, 0, 'shape').data);
  const t = attrTensor(node, 'value');
  const v: ConstValue = t ? tensorValue(t, ctx.file, new Map()) : constant([1], [0], 'float');
  return [constant(dims, new Float64Array(sizeOf(dims)).fill(v.data[0] ?? 0), v.dtype)];
};

const FLOAT_TYPES = new Set([1, 10, 11, 16]);

export const cast: OpImporter = (ctx, node) => {
  const x = ctx.input(node, 0)!;
  const to = attrInt(node, 'to', 1);
  if (x.kind === 'sym') {
    if (FLOAT_TYPES.has(to)) return [x];
    throw ctx.fail(node, 'casts an image tensor to an integer type; not supported.');
  }
  if (FLOAT_TYPES.has(to)) return [constant(x.dims, x.data, 'float')];
  if (to === 9) return [constant(x.dims, x.data.map((v) => (v !== 0 ? 1 : 0)), 'bool')];
  return [constant(x.dims, x.data.map(Math.trunc), 'int')];
};

export const range: OpImporter = (ctx, node) => {
  const [start, limit, delta] = [0, 1, 2].map((i) => ctx.constInput(node, i, ['start', 'limit', 'delta'][i]!));
  const s = start!.data[0]!;
  const d = delta!.data[0]!;
  const n = Math.max(Math.ceil((limit!.data[0]! - s) / d), 0);
  return [constant([n], Array.from({ length: n }, (_, i) => s + i * d), start!.dtype)];
};
