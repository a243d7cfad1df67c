/**
 * The input gradient of a strided conv, split by output phase (sub-pixel). dx row y = q * s + r
 * only ever meets the taps i with (r + top - i) divisible by s, so each of the s * s phases is a
 * stride-1 conv of dy with a few of the filter's taps. All phases share one window, so they run
 * as a single conv whose output channels are (phase, ci), interleaved afterwards: for 3x3 stride
 * 2 that is 16 taps' work per dy pixel instead of the 36 a zero-spread dy costs.
 */
import * as tf from '@tensorflow/tfjs';
import { fitPads } from './explicit-pad';

/** One spatial axis of the split: the shared window over dy and which tap each phase puts where. */
export interface AxisPhases {
  /** Offset, in dy rows, of the window's first row relative to the phase-row q. */
  first: number;
  /** Window length in dy rows. */
  size: number;
  /** Phases (the stride). */
  phases: number;
  /** Filter tap at window slot t for phase r, or -1 where the phase has none there. */
  tap(r: number, t: number): number;
}

/** Taps of a k-wide filter with stride s and leading padding `pad`, sorted into phases. */
export function axisPhases(k: number, s: number, pad: number): AxisPhases {
  let first = Infinity;
  let last = -Infinity;
  for (let r = 0; r < s; r++) {
    for (let i = 0; i < k; i++) {
      if ((r + pad - i) % s !== 0) continue;
      first = Math.min(first, (r + pad - i) / s);
      last = Math.max(last, (r + pad - i) / s);
    }
  }
  return {
    first,
    size: last - first + 1,
    phases: s,
    tap: (r, t) => {
      const i = r + pad - s * (first + t);
      return i >= 0 && i < k ? i : -1;
    },
  };
}

/**
 * The filter of the phase conv: [rows.size, cols.size, co, ry * cols.phases * ci + rx * ci + c],
 * picked from `filter` [kh, kw, ci, co] with zeros where a phase has no tap. Built on the host:
 * the filter is small and wasm hands its values over without a copy, while wasm's Gather and a
 * 6-d Transpose took longer than the demo's smallest phase conv.
 */
export function phaseFilter(filter: tf.Tensor4D, rows: AxisPhases, cols: AxisPhases): tf.Tensor4D {
  const [, kw, ci, co] = filter.shape;
  const w = filter.dataSync();
  const phases = rows.phases * cols.phases;
  const out = new Float32Array(rows.size * cols.size * co * phases * ci);
  let o = 0;
  for (let t = 0; t < rows.size; t++) {
    for (let u = 0; u < cols.size; u++) {
      for (let k = 0; k < co; k++) {
        for (let ry = 0; ry < rows.phases; ry++) {
          for (let rx = 0; rx < cols.phases; rx++) {
            const i = rows.tap(ry, t);
            const j = cols.tap(rx, u);
            if (i < 0 || j < 0) {
              o += ci;
              continue;
            }
            const tap = (i * kw + j) * ci * co + k;
            for (let c = 0; c < ci; c++) out[o++] = w[tap + c * co]!;
          }
        }
      }
    }
  }
  return tf.tensor4d(out, [rows.size, cols.size, co, phases * ci]);
}

/** dx [b, h, w, ci] of a conv with this geometry (NHWC, undilated), from dy and its filter. */
export function phaseSplitBackpropInput(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inShape: [number, number, number, number],
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  const [kh, kw, ci] = filter.shape;
  const [b, h, w] = inShape;
  const { strideHeight: sh, strideWidth: sw } = info;
  const rows = axisPhases(kh, sh, info.padInfo.top);
  const cols = axisPhases(kw, sw, info.padInfo.left);
  // Phase-rows: enough to cover h, the last block possibly cropped.
  const qh = Math.ceil(h / sh);
  const qw = Math.ceil(w / sw);
  const [src, pad] = fitPads(dy, [
    -rows.first,
    qh + rows.first + rows.size - 1 - dy.shape[1],
    -cols.first,
    qw + cols.first + cols.size - 1 - dy.shape[2],
  ]);
  const phased = tf.conv2d(src, phaseFilter(filter, rows, cols), 1, pad);
  // A reshape and transpose interleave the phases; wasm's DepthToSpace measured 2-4x slower here.
  const blocks = tf.transpose(tf.reshape(phased, [b, qh, qw, sh, sw, ci]), [0, 1, 3, 2, 4, 5]);
  const dx = tf.reshape(blocks, [b, qh * sh, qw * sw, ci]) as tf.Tensor4D;
  return qh * sh === h && qw * sw === w ? dx : tf.slice(dx, [0, 0, 0, 0], [b, h, w, ci]);
}
