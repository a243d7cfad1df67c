/** Concat: folded when every input is constant, a TF.js Concatenate when every input is from the image. */
import * as tf from '@tensorflow/tfjs';
import { attrInt } from '../attributes';
import { type ConstValue, type SymValue, constant, sizeOf } from '../values';
import type { OpImporter } from './op';

function concatConst(parts: ConstValue[], axis: number): ConstValue {
  const dims = [...parts[0]!.dims];
  dims[axis] = parts.reduce((s, p) => s + p.dims[axis]!, 0);
  const outer = sizeOf(dims.slice(0, axis));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const inner = sizeOf(p.dims.slice(axis));
      for (let i = 0; i < inner; i++) out.push(p.data[o * inner + i]!);
    }
  }
  return constant(dims, out, parts.some((p) => p.dtype === 'float') ? 'float' : parts[0]!.dtype);
}

export const concat: OpImporter = (ctx, node) => {
  const vals = node.input.map((_, i) => ctx.input(node, i)).filter((v) => v !== undefined);
  const rank = vals[0]?.kind === 'const' ? vals[0].dims.length : (vals[0]?.shape.length ?? 0);
  const raw = attrInt(node, 'axis', 0);
  const axis = raw < 0 ? raw + rank : raw;
  if (vals.every((v) => v.kind === 'const')) return [concatConst(vals as ConstValue[], axis)];
  if (!vals.every((v) => v.kind === 'sym')) throw ctx.fail(node, 'joins constants with tensors computed from the image; not supported.');
  if (axis === 0) throw ctx.fail(node, 'concatenating along the batch axis is not supported.');
  const first = vals[0] as SymValue;
  const aligned = (vals as SymValue[]).map((v) => ctx.toLayout(node, v, first.layout));
  const t = ctx.apply(tf.layers.concatenate({ axis: first.layout[axis]!, name: ctx.layerName(node) }), aligned.map((v) => v.t));
  const shape = [...first.shape];
  shape[axis] = aligned.reduce((s, v) => s + v.shape[axis]!, 0);
  return [{ kind: 'sym', t, shape, layout: first.layout }];
};
