/** Slice: folded for constants, OnnxSlice (strided, per TF.js axis) for image tensors. */
import { attrInts } from '../attributes';
import type { ImportContext } from '../context';
import { OnnxSlice, sliceLength } from '../layers';
import type { NodeProto } from '../proto/types';
import { constant, sizeOf, strides } from '../values';
import type { OpImporter } from './op';

/** Per ONNX axis: clamped begin, end, step, following the ONNX Slice rules. */
function ranges(ctx: ImportContext, node: NodeProto, dims: number[]): { begin: number[]; end: number[]; step: number[] } {
  const list = (i: number, attr: string) => (node.input[i] ? Array.from(ctx.constInput(node, i, attr).data) : attrInts(node, attr, []));
  const starts = list(1, 'starts');
  const ends = list(2, 'ends');
  const axes = node.input[3] || attrInts(node, 'axes', []).length ? list(3, 'axes') : starts.map((_, i) => i);
  const steps = node.input[4] ? list(4, 'steps') : starts.map(() => 1);
  const begin = dims.map(() => 0);
  const end = [...dims];
  const step = dims.map(() => 1);
  axes.forEach((raw, i) => {
    const a = raw < 0 ? raw + dims.length : raw;
    const n = dims[a]!;
    const s = steps[i]!;
    if (s === 0) throw ctx.fail(node, 'a step of 0.');
    const norm = (v: number) => (v < 0 ? v + n : v);
    if (s > 0) {
      begin[a] = Math.min(Math.max(norm(starts[i]!), 0), n);
      end[a] = Math.min(Math.max(norm(ends[i]!), 0), n);
    } else {
      begin[a] = Math.min(Math.max(norm(starts[i]!), 0), n - 1);
      end[a] = Math.min(Math.max(norm(ends[i]!), -1), n - 1);
    }
    step[a] = s;
  });
  return { begin, end, step };
}

export const slice: OpImporter = (ctx, node) => {
  const x = ctx.input(node, 0)!;
  const dims = x.kind === 'const' ? x.dims : x.shape;
  const { begin, end, step } = ranges(ctx, node, dims);
  const out = dims.map((_, a) => sliceLength(begin[a]!, end[a]!, step[a]!));
  if (x.kind === 'const') {
    const st = strides(dims);
    const values: number[] = [];
    const idx = out.map(() => 0);
    for (let o = 0; o < sizeOf(out); o++) {
      values.push(x.data[idx.reduce((s, v, a) => s + (begin[a]! + v * step[a]!) * st[a]!, 0)]!);
      for (let a = out.length - 1; a >= 0; a--) {
        if (++idx[a]! < out[a]!) break;
        idx[a] = 0;
      }
    }
    return [constant(out, values, x.dtype)];
  }
  if (begin[0] !== 0 || out[0] !== dims[0]) throw ctx.fail(node, 'slices the batch axis.');
  // OnnxSlice takes TF.js axes 1..r-1.
  const spec = { begin: [] as number[], end: [] as number[], step: [] as number[] };
  for (let t = 1; t < dims.length; t++) {
    const a = x.layout.indexOf(t);
    spec.begin.push(begin[a]!);
    spec.end.push(end[a]!);
    spec.step.push(step[a]!);
  }
  const t = ctx.apply(new OnnxSlice({ spec, name: ctx.layerName(node) }), x.t);
  return [{ ...x, t, shape: out }];
};
