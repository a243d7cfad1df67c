/** MaxPool, AveragePool and GlobalAveragePool -> TF.js pooling layers (NHWC). */
import * as tf from '@tensorflow/tfjs';
import { attrInt } from '../attributes';
import { OnnxPad } from '../layers';
import { CHANNELS_LAST } from '../values';
import { padFirst } from './conv';
import type { OpImporter } from './op';
import { planPadding, windowAttrs } from './spatial';

const LOWEST = -3.4028234663852886e38;

function pool(kind: 'max' | 'avg'): OpImporter {
  return (ctx, node) => {
    const x = ctx.toLayout(node, ctx.symInput(node, 0), CHANNELS_LAST);
    if (x.shape.length !== 4) throw ctx.fail(node, 'only 2-D pooling over [batch, channels, height, width] is supported.');
    const { k, s, d } = windowAttrs(ctx, node, null);
    if (d[0] !== 1 || d[1] !== 1) throw ctx.fail(node, 'dilated pooling is not supported.');
    const plan = planPadding(ctx, node, [x.shape[2]!, x.shape[3]!], k, s, attrInt(node, 'ceil_mode', 0) === 1);
    const includePad = attrInt(node, 'count_include_pad', 0) === 1;
    let input = x.t;
    let padding = plan.padding;
    if (kind === 'avg' && padding === 'same' && includePad) padding = 'valid';
    const explicit = plan.explicit ?? (padding !== plan.padding ? planPadExplicit(x.shape[2]!, x.shape[3]!, k, s) : null);
    if (explicit) {
      if (kind === 'avg' && !includePad) throw ctx.fail(node, 'padding that excludes the pad from the average (count_include_pad=0) and differs from TF.js "same" is not supported.');
      input = kind === 'avg'
        ? padFirst(ctx, node, x, explicit)
        : ctx.apply(new OnnxPad({ spec: { pads: [[0, 0], explicit[0], explicit[1], [0, 0]], mode: 'constant', value: LOWEST }, name: ctx.layerName(node, '_pad') }), x.t);
    }
    const args = { poolSize: k, strides: s, padding, name: ctx.layerName(node) };
    const layer = kind === 'max' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
    return [{ kind: 'sym', t: ctx.apply(layer, input), shape: [1, x.shape[1]!, plan.out[0], plan.out[1]], layout: CHANNELS_LAST }];
  };
}

/** TF.js 'same' pads made explicit, for averages that count the padding. */
function planPadExplicit(h: number, w: number, k: number[], s: number[]): [[number, number], [number, number]] {
  const one = (n: number, kk: number, ss: number): [number, number] => {
    const total = Math.max((Math.ceil(n / ss) - 1) * ss + kk - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  return [one(h, k[0]!, s[0]!), one(w, k[1]!, s[1]!)];
}

export const maxPool = pool('max');
export const averagePool = pool('avg');

export const globalAveragePool: OpImporter = (ctx, node) => {
  const x = ctx.toLayout(node, ctx.symInput(node, 0), CHANNELS_LAST);
  if (x.shape.length !== 4) throw ctx.fail(node, 'expects [batch, channels, height, width].');
  const c = x.shape[1]!;
  const pooled = ctx.apply(tf.layers.globalAveragePooling2d({ name: ctx.layerName(node) }), x.t);
  // ONNX keeps the 1x1 spatial axes.
  const t = ctx.apply(tf.layers.reshape({ targetShape: [1, 1, c], name: ctx.layerName(node, '_keepdims') }), pooled);
  return [{ kind: 'sym', t, shape: [1, c, 1, 1], layout: CHANNELS_LAST }];
};
