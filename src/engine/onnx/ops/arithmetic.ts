/** Add, Sub, Mul, Div: folded for constants, layers for tensors computed from the image. */
import * as tf from '@tensorflow/tfjs';
import { OnnxBinary, OnnxConstOp, type ArithOp } from '../layers';
import { type ConstValue, type SymValue, onnxAxes, transposeData } from '../values';
import { f32, type OpImporter } from './op';
import { foldBinary } from './fold-math';

/** A constant broadcast against `x`, rearranged into x's TF.js axis order. */
function constForSym(c: ConstValue, x: SymValue): { shape: number[]; data: Float32Array } | null {
  const r = x.shape.length;
  if (c.dims.length > r) return null;
  const dims = [...new Array<number>(r - c.dims.length).fill(1), ...c.dims];
  if (dims[0] !== 1 || dims.some((d, i) => d !== 1 && d !== x.shape[i])) return null;
  const t = transposeData(c.data, dims, onnxAxes(x.layout));
  return { shape: t.dims, data: f32(t.data) };
}

function arithmetic(op: ArithOp): OpImporter {
  return (ctx, node) => {
    const a = ctx.input(node, 0);
    const b = ctx.input(node, 1);
    if (!a || !b) throw ctx.fail(node, 'needs two inputs.');
    if (a.kind === 'const' && b.kind === 'const') return [foldBinary(ctx, node, a, b, op)];
    const name = ctx.layerName(node);
    if (a.kind === 'sym' && b.kind === 'sym') {
      if (a.shape.length !== b.shape.length) throw ctx.fail(node, `operands of rank ${a.shape.length} and ${b.shape.length}; only equal ranks are supported.`);
      const bb = ctx.toLayout(node, b, a.layout);
      const same = a.shape.every((d, i) => d === bb.shape[i]);
      const layer = same && op === 'add' ? tf.layers.add({ name }) : same && op === 'mul' ? tf.layers.multiply({ name }) : new OnnxBinary({ op, name });
      const shape = a.shape.map((d, i) => Math.max(d, bb.shape[i]!));
      return [{ kind: 'sym', t: ctx.apply(layer, [a.t, bb.t]), shape, layout: a.layout }];
    }
    const x = (a.kind === 'sym' ? a : b) as SymValue;
    const c = (a.kind === 'const' ? a : b) as ConstValue;
    const k = constForSym(c, x);
    if (!k) throw ctx.fail(node, `the constant of shape [${c.dims.join(', ')}] does not broadcast onto [${x.shape.join(', ')}] without touching the batch axis.`);
    const layer = new OnnxConstOp({ op, constFirst: a.kind === 'const', constShape: k.shape, name });
    return [{ ...x, t: ctx.apply(layer, x.t, [tf.tensor(k.data, k.shape)]) }];
  };
}

export const add = arithmetic('add');
export const sub = arithmetic('sub');
export const mul = arithmetic('mul');
export const div = arithmetic('div');
