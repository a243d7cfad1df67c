/** Conv -> Conv2D or DepthwiseConv2D (NHWC), kernels transposed once from OIHW. */
import * as tf from '@tensorflow/tfjs';
import { attrInt } from '../attributes';
import type { ImportContext } from '../context';
import type { NodeProto } from '../proto/types';
import { CHANNELS_LAST, type SymValue, transposeData } from '../values';
import { f32, type OpImporter } from './op';
import { planPadding, windowAttrs } from './spatial';

/** Zero padding before a 'valid' window op, when ONNX pads differ from TF.js 'same'. */
export function padFirst(ctx: ImportContext, node: NodeProto, x: SymValue, explicit: [[number, number], [number, number]] | null): tf.SymbolicTensor {
  if (!explicit) return x.t;
  return ctx.apply(tf.layers.zeroPadding2d({ padding: explicit, name: ctx.layerName(node, '_pad') }), x.t);
}

export const conv: OpImporter = (ctx, node) => {
  const x = ctx.toLayout(node, ctx.symInput(node, 0), CHANNELS_LAST);
  const w = ctx.constInput(node, 1, 'weight');
  const b = node.input[2] ? ctx.constInput(node, 2, 'bias') : null;
  if (x.shape.length !== 4 || w.dims.length !== 4) throw ctx.fail(node, 'only 2-D convolutions over [batch, channels, height, width] are supported.');
  const [o, ig, kh, kw] = w.dims as [number, number, number, number];
  const cin = x.shape[1]!;
  const group = attrInt(node, 'group', 1);
  const { s, d } = windowAttrs(ctx, node, [kh, kw]);
  if ((d[0] > 1 || d[1] > 1) && (s[0] > 1 || s[1] > 1)) throw ctx.fail(node, 'dilation together with a stride above 1 is not supported by TF.js convolutions.');
  if (ig * group !== cin || o % group !== 0) throw ctx.fail(node, `weight [${w.dims.join(', ')}] with group=${group} does not fit ${cin} input channels.`);
  const depthwise = group > 1 && ig === 1 && group === cin;
  if (group > 1 && !depthwise) throw ctx.fail(node, `grouped convolution (group=${group}, ${ig} channels per group) is not supported; only group=1 and depthwise (group = input channels) are.`);
  const keff: [number, number] = [(kh - 1) * d[0] + 1, (kw - 1) * d[1] + 1];
  const plan = planPadding(ctx, node, [x.shape[2]!, x.shape[3]!], keff, s);
  const input = padFirst(ctx, node, x, plan.explicit);
  const name = ctx.layerName(node);
  const common = { strides: s, dilationRate: d, padding: plan.padding, useBias: b !== null, name, biasInitializer: 'zeros' as const };
  const weights: tf.Tensor[] = [];
  let layer: tf.layers.Layer;
  if (depthwise) {
    const mult = o / cin;
    // ONNX [c*mult, 1, kh, kw] -> TF.js [kh, kw, c, mult]: output channel c*mult+m in both.
    const k = transposeData(w.data, [cin, mult, kh, kw], [2, 3, 0, 1]);
    weights.push(tf.tensor4d(f32(k.data), [kh, kw, cin, mult]));
    layer = tf.layers.depthwiseConv2d({ ...common, kernelSize: [kh, kw], depthMultiplier: mult, depthwiseInitializer: 'zeros' });
    ctx.bind(node, 1, `${name}/depthwise_kernel`, w.dims, { kind: 'depthwise', multiplier: mult });
  } else {
    const k = transposeData(w.data, w.dims, [2, 3, 1, 0]);
    weights.push(tf.tensor4d(f32(k.data), [kh, kw, ig, o]));
    layer = tf.layers.conv2d({ ...common, filters: o, kernelSize: [kh, kw], kernelInitializer: 'zeros' });
    ctx.bind(node, 1, `${name}/kernel`, w.dims, { kind: 'conv' });
  }
  if (b) {
    if (b.data.length !== o) throw ctx.fail(node, `bias has ${b.data.length} values for ${o} output channels.`);
    weights.push(tf.tensor1d(f32(b.data)));
    ctx.bind(node, 2, `${name}/bias`, b.dims, { kind: 'copy', scale: 1 });
  }
  const t = ctx.apply(layer, input, weights);
  return [{ kind: 'sym', t, shape: [1, o, plan.out[0], plan.out[1]], layout: CHANNELS_LAST }];
};
