/** Relu, Clip, LeakyRelu, Sigmoid, HardSigmoid, HardSwish: TF.js layers where exact, else OnnxActivation. */
import * as tf from '@tensorflow/tfjs';
import { attrFloat, hasAttr } from '../attributes';
import { OnnxActivation, type ActivationSpec } from '../layers';
import type { SymValue, Value } from '../values';
import type { OpImporter } from './op';

const BIG = 3.4028234663852886e38;
const same = (x: SymValue, t: tf.SymbolicTensor): Value[] => [{ ...x, t }];
const spec = (s: Partial<ActivationSpec> & Pick<ActivationSpec, 'fn'>): ActivationSpec => ({ min: -BIG, max: BIG, alpha: 0.2, beta: 0.5, ...s });

export const relu: OpImporter = (ctx, node) => {
  const x = ctx.symInput(node, 0);
  return same(x, ctx.apply(tf.layers.reLU({ name: ctx.layerName(node) }), x.t));
};

export const clip: OpImporter = (ctx, node) => {
  const x = ctx.symInput(node, 0);
  // Opset 11+: bounds are inputs; older files carry min/max attributes.
  const bound = (i: number, attr: string, none: number) =>
    node.input[i] ? ctx.constInput(node, i, attr).data[0]! : hasAttr(node, attr) ? attrFloat(node, attr, none) : none;
  const min = Math.max(bound(1, 'min', -BIG), -BIG);
  const max = Math.min(bound(2, 'max', BIG), BIG);
  const name = ctx.layerName(node);
  if (min === 0 && max === BIG) return same(x, ctx.apply(tf.layers.reLU({ name }), x.t));
  if (min === 0) return same(x, ctx.apply(tf.layers.reLU({ name, maxValue: max }), x.t));
  return same(x, ctx.apply(new OnnxActivation({ spec: spec({ fn: 'clip', min, max }), name }), x.t));
};

export const leakyRelu: OpImporter = (ctx, node) => {
  const x = ctx.symInput(node, 0);
  return same(x, ctx.apply(tf.layers.leakyReLU({ alpha: attrFloat(node, 'alpha', 0.01), name: ctx.layerName(node) }), x.t));
};

export const sigmoid: OpImporter = (ctx, node) => {
  const x = ctx.symInput(node, 0);
  return same(x, ctx.apply(tf.layers.activation({ activation: 'sigmoid', name: ctx.layerName(node) }), x.t));
};

export const hardSigmoid: OpImporter = (ctx, node) => {
  const x = ctx.symInput(node, 0);
  const s = spec({ fn: 'hardSigmoid', alpha: attrFloat(node, 'alpha', 0.2), beta: attrFloat(node, 'beta', 0.5) });
  return same(x, ctx.apply(new OnnxActivation({ spec: s, name: ctx.layerName(node) }), x.t));
};

export const hardSwish: OpImporter = (ctx, node) => {
  const x = ctx.symInput(node, 0);
  const s = spec({ fn: 'hardSwish', alpha: 1 / 6, beta: 0.5 });
  return same(x, ctx.apply(new OnnxActivation({ spec: s, name: ctx.layerName(node) }), x.t));
};
