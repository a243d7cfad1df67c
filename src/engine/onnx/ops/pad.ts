/** Pad (constant or reflect) of an image tensor -> OnnxPad, pads mapped onto TF.js axes. */
import { attrInts, attrString } from '../attributes';
import { OnnxPad } from '../layers';
import type { OpImporter } from './op';

export const pad: OpImporter = (ctx, node) => {
  const x = ctx.symInput(node, 0);
  const r = x.shape.length;
  const mode = attrString(node, 'mode', 'constant');
  if (mode !== 'constant' && mode !== 'reflect') throw ctx.fail(node, `mode "${mode}" is not supported (constant and reflect are).`);
  const raw = node.input[1] ? Array.from(ctx.constInput(node, 1, 'pads').data) : attrInts(node, 'pads', []);
  const value = node.input[2] ? (ctx.constInput(node, 2, 'constant_value').data[0] ?? 0) : 0;
  const axes = node.input[3] ? Array.from(ctx.constInput(node, 3, 'axes').data).map((a) => (a < 0 ? a + r : a)) : Array.from({ length: r }, (_, i) => i);
  if (raw.length !== 2 * axes.length) throw ctx.fail(node, `${raw.length} pad values for ${axes.length} axes.`);
  const pads: [number, number][] = Array.from({ length: r }, () => [0, 0]);
  axes.forEach((a, i) => (pads[x.layout[a]!] = [raw[i]!, raw[i + axes.length]!]));
  if (pads.some(([p, q]) => p < 0 || q < 0)) throw ctx.fail(node, 'negative pads (cropping) are not supported.');
  if (pads[0]![0] || pads[0]![1]) throw ctx.fail(node, 'pads the batch axis.');
  const shape = x.shape.map((d, i) => {
    const j = axes.indexOf(i);
    return j < 0 ? d : d + raw[j]! + raw[j + axes.length]!;
  });
  const t = ctx.apply(new OnnxPad({ spec: { pads, mode, value }, name: ctx.layerName(node) }), x.t);
  return [{ ...x, t, shape }];
};
