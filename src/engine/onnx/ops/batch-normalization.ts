/** BatchNormalization (inference form) -> a TF.js BatchNormalization layer on the channel axis. */
import * as tf from '@tensorflow/tfjs';
import { attrFloat, attrInt } from '../attributes';
import { f32, type OpImporter } from './op';

const PARTS = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;

export const batchNormalization: OpImporter = (ctx, node) => {
  const x = ctx.symInput(node, 0);
  if (attrInt(node, 'training_mode', 0) !== 0) throw ctx.fail(node, 'training_mode=1 (batch statistics at inference) is not supported; export the model in eval mode.');
  if (x.shape.length < 2) throw ctx.fail(node, 'expects an input with a channel axis.');
  const c = x.shape[1]!;
  const params = [1, 2, 3, 4].map((i) => ctx.constInput(node, i, PARTS[i - 1]!));
  params.forEach((p, i) => {
    if (p.data.length !== c) throw ctx.fail(node, `${PARTS[i]} has ${p.data.length} values for ${c} channels.`);
  });
  const name = ctx.layerName(node);
  const layer = tf.layers.batchNormalization({
    axis: x.layout[1]!,
    epsilon: attrFloat(node, 'epsilon', 1e-5),
    momentum: attrFloat(node, 'momentum', 0.9),
    name,
  });
  params.forEach((p, i) => ctx.bind(node, i + 1, `${name}/${PARTS[i]}`, p.dims, { kind: 'copy', scale: 1 }));
  const t = ctx.apply(layer, x.t, params.map((p) => tf.tensor1d(f32(p.data))));
  return [{ ...x, t }];
};
