/** Softmax over one axis -> a TF.js Softmax layer (which the studio strips to read logits). */
import * as tf from '@tensorflow/tfjs';
import { attrInt } from '../attributes';
import type { OpImporter } from './op';

export const softmax: OpImporter = (ctx, node) => {
  const x = ctx.symInput(node, 0);
  const r = x.shape.length;
  const raw = attrInt(node, 'axis', ctx.opset >= 13 ? -1 : 1);
  const axis = raw < 0 ? raw + r : raw;
  // Before opset 13 Softmax flattens from `axis` on: the same as the last axis only when it is the last.
  if (axis === 0 || axis >= r || (ctx.opset < 13 && axis !== r - 1)) throw ctx.fail(node, `softmax over axis ${raw} of a rank-${r} tensor is not supported (classifiers use the class axis).`);
  const t = ctx.apply(tf.layers.softmax({ axis: x.layout[axis]!, name: ctx.layerName(node) }), x.t);
  return [{ ...x, t }];
};
