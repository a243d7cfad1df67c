/** Padding and output-size arithmetic shared by Conv and the pools (ONNX semantics vs TF.js 'same'). */
import { attrInts, attrString } from '../attributes';
import type { ImportContext } from '../context';
import type { NodeProto } from '../proto/types';

/** How TF.js reproduces the ONNX padding of a 2-D window op. */
export interface PadPlan {
  /** TF.js padding mode. */
  padding: 'same' | 'valid';
  /** Explicit [[top, bottom], [left, right]] to pad before a 'valid' op, or null. */
  explicit: [[number, number], [number, number]] | null;
  /** Output [h, w]. */
  out: [number, number];
}

/** TF.js 'same' pads [before, after] of one axis. */
function tfSame(size: number, k: number, s: number): [number, number] {
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** The padding plan of a Conv/Pool node over an [h, w] input with (dilated) kernel `k`. */
export function planPadding(ctx: ImportContext, node: NodeProto, hw: [number, number], k: [number, number], s: [number, number], ceil = false): PadPlan {
  const auto = attrString(node, 'auto_pad', 'NOTSET');
  let pads: number[];
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const [a, b] = [tfSame(hw[0], k[0], s[0]), tfSame(hw[1], k[1], s[1])];
    pads = auto === 'SAME_UPPER' ? [a[0], b[0], a[1], b[1]] : [a[1], b[1], a[0], b[0]];
  } else if (auto === 'VALID') pads = [0, 0, 0, 0];
  else if (auto === 'NOTSET') pads = attrInts(node, 'pads', [0, 0, 0, 0]);
  else throw ctx.fail(node, `auto_pad "${auto}" is not an ONNX value.`);
  if (pads.length !== 4) throw ctx.fail(node, `expects 2-D pads, got [${pads.join(', ')}].`);
  const [t, l, b, r] = pads as [number, number, number, number];
  const size = (n: number, p0: number, p1: number, kk: number, ss: number, up: boolean) => (up ? Math.ceil : Math.floor)((n + p0 + p1 - kk) / ss) + 1;
  const out: [number, number] = [size(hw[0], t, b, k[0], s[0], false), size(hw[1], l, r, k[1], s[1], false)];
  if (ceil && (size(hw[0], t, b, k[0], s[0], true) !== out[0] || size(hw[1], l, r, k[1], s[1], true) !== out[1])) {
    throw ctx.fail(node, 'ceil_mode=1 changes the output size here, which the importer does not reproduce; export with ceil_mode=0.');
  }
  if (out[0] < 1 || out[1] < 1) throw ctx.fail(node, `the window does not fit the ${hw[0]}x${hw[1]} input.`);
  if (t === 0 && l === 0 && b === 0 && r === 0) return { padding: 'valid', explicit: null, out };
  const [sh, sw] = [tfSame(hw[0], k[0], s[0]), tfSame(hw[1], k[1], s[1])];
  const sameOut = [Math.ceil(hw[0] / s[0]), Math.ceil(hw[1] / s[1])];
  if (sh[0] === t && sh[1] === b && sw[0] === l && sw[1] === r && sameOut[0] === out[0] && sameOut[1] === out[1]) return { padding: 'same', explicit: null, out };
  return { padding: 'valid', explicit: [[t, b], [l, r]], out };
}

/** kernel_shape, strides and dilations of a 2-D window node. */
export function windowAttrs(ctx: ImportContext, node: NodeProto, kernel: number[] | null): { k: [number, number]; s: [number, number]; d: [number, number] } {
  const k = attrInts(node, 'kernel_shape', kernel ?? []);
  const s = attrInts(node, 'strides', [1, 1]);
  const d = attrInts(node, 'dilations', [1, 1]);
  if (k.length !== 2 || s.length !== 2 || d.length !== 2) throw ctx.fail(node, 'only 2-D windows (images) are supported.');
  return { k: k as [number, number], s: s as [number, number], d: d as [number, number] };
}
