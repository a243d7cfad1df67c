/** Gemm (A x B' * alpha + C * beta, A from the image) -> a Dense layer. */
import * as tf from '@tensorflow/tfjs';
import { attrFloat, attrInt } from '../attributes';
import { plain, transposeData } from '../values';
import { f32, type OpImporter } from './op';

export const gemm: OpImporter = (ctx, node) => {
  const a = ctx.toLayout(node, ctx.symInput(node, 0), plain(2));
  const b = ctx.constInput(node, 1, 'B');
  const c = node.input[2] ? ctx.constInput(node, 2, 'C') : null;
  if (a.shape.length !== 2 || b.dims.length !== 2) throw ctx.fail(node, 'expects a [batch, features] input and a 2-D weight.');
  if (attrInt(node, 'transA', 0) !== 0) throw ctx.fail(node, 'transA=1 would mix the batch into the features; not supported.');
  const transB = attrInt(node, 'transB', 0) === 1;
  const alpha = attrFloat(node, 'alpha', 1);
  const beta = attrFloat(node, 'beta', 1);
  const [k, n] = transB ? [b.dims[1]!, b.dims[0]!] : [b.dims[0]!, b.dims[1]!];
  if (k !== a.shape[1]) throw ctx.fail(node, `B has ${k} input features, the input has ${a.shape[1]}.`);
  const kernel = transB ? transposeData(b.data, b.dims, [1, 0]).data : b.data;
  const name = ctx.layerName(node);
  const weights: tf.Tensor[] = [tf.tensor2d(f32(kernel.map((v) => v * alpha)), [k, n])];
  ctx.bind(node, 1, `${name}/kernel`, b.dims, { kind: 'dense', transposed: transB, scale: alpha });
  if (c) {
    if (c.data.length !== n && c.data.length !== 1) throw ctx.fail(node, `C has shape [${c.dims.join(', ')}], not one bias per output (${n}).`);
    const bias = c.data.length === 1 ? new Float64Array(n).fill(c.data[0]!) : c.data;
    weights.push(tf.tensor1d(f32(bias.map((v) => v * beta))));
    if (c.data.length === n) ctx.bind(node, 2, `${name}/bias`, c.dims, { kind: 'copy', scale: beta });
  }
  const layer = tf.layers.dense({ units: n, useBias: c !== null, name, kernelInitializer: 'zeros', biasInitializer: 'zeros' });
  return [{ kind: 'sym', t: ctx.apply(layer, a.t, weights), shape: [1, n], layout: plain(2) }];
};
