/** Reshape, Flatten, Squeeze, Unsqueeze: folded for constants, a TF.js Reshape (in ONNX axis order) otherwise. */
import * as tf from '@tensorflow/tfjs';
import { attrInt, attrInts } from '../attributes';
import type { ImportContext } from '../context';
import type { NodeProto } from '../proto/types';
import { type SymValue, type Value, plain, sizeOf } from '../values';
import type { OpImporter } from './op';

/** `x` with ONNX shape `dims` (batch kept on axis 0), as a plain-layout value. */
export function reshapeTo(ctx: ImportContext, node: NodeProto, x: SymValue, dims: number[]): SymValue {
  if (dims[0] !== 1 || sizeOf(dims) !== sizeOf(x.shape)) {
    throw ctx.fail(node, `reshaping [${x.shape.slice(1).join(', ')}] to [${dims.join(', ')}] would move the batch axis; only per-image reshapes are supported.`);
  }
  if (dims.length === x.shape.length && dims.every((d, i) => d === x.shape[i])) return x;
  const p = ctx.toLayout(node, x, plain(x.shape.length));
  const t = ctx.apply(tf.layers.reshape({ targetShape: dims.slice(1), name: ctx.layerName(node) }), p.t);
  return { kind: 'sym', t, shape: dims, layout: plain(dims.length) };
}

/** Same data, new dims: the value itself when constant, a reshape otherwise. */
function withDims(ctx: ImportContext, node: NodeProto, x: Value, dims: number[]): Value {
  return x.kind === 'const' ? { ...x, dims } : reshapeTo(ctx, node, x, dims);
}

const dimsOf = (v: Value) => (v.kind === 'const' ? v.dims : v.shape);

export const reshape: OpImporter = (ctx, node) => {
  const x = ctx.input(node, 0)!;
  const shape = Array.from(ctx.constInput(node, 1, 'shape').data);
  const src = dimsOf(x);
  const allowZero = attrInt(node, 'allowzero', 0) === 1;
  const out = shape.map((d, i) => (d === 0 && !allowZero ? src[i]! : d));
  const known = out.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const free = out.indexOf(-1);
  if (free >= 0) out[free] = known === 0 ? 0 : sizeOf(src) / known;
  if (!out.every((d) => Number.isInteger(d) && d >= 0) || sizeOf(out) !== sizeOf(src)) {
    throw ctx.fail(node, `cannot reshape [${src.join(', ')}] to [${shape.join(', ')}].`);
  }
  return [withDims(ctx, node, x, out)];
};

export const flatten: OpImporter = (ctx, node) => {
  const x = ctx.input(node, 0)!;
  const src = dimsOf(x);
  const raw = attrInt(node, 'axis', 1);
  const axis = raw < 0 ? raw + src.length : raw;
  return [withDims(ctx, node, x, [sizeOf(src.slice(0, axis)), sizeOf(src.slice(axis))])];
};

/** Axes from the opset-13 input or the older attribute. */
function axesOf(ctx: ImportContext, node: NodeProto): number[] | null {
  if (node.input[1]) return Array.from(ctx.constInput(node, 1, 'axes').data);
  const a = attrInts(node, 'axes', []);
  return a.length ? a : null;
}

export const squeeze: OpImporter = (ctx, node) => {
  const x = ctx.input(node, 0)!;
  const src = dimsOf(x);
  const axes = (axesOf(ctx, node) ?? src.flatMap((d, i) => (d === 1 && (x.kind === 'const' || i > 0) ? [i] : []))).map((a) => (a < 0 ? a + src.length : a));
  if (x.kind === 'sym' && axes.includes(0)) throw ctx.fail(node, 'cannot squeeze the batch axis.');
  return [withDims(ctx, node, x, src.filter((_, i) => !axes.includes(i)))];
};

export const unsqueeze: OpImporter = (ctx, node) => {
  const x = ctx.input(node, 0)!;
  const src = dimsOf(x);
  const axes = axesOf(ctx, node) ?? [];
  const r = src.length + axes.length;
  const norm = axes.map((a) => (a < 0 ? a + r : a));
  if (x.kind === 'sym' && norm.includes(0)) throw ctx.fail(node, 'cannot insert an axis before the batch axis.');
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < r; i++) out.push(norm.includes(i) ? 1 : src[j++]!);
  return [withDims(ctx, node, x, out)];
};
