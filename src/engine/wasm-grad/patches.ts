/** im2col for NHWC windows, built from pad + (strided) slices + one concat, all fast on wasm. */
import * as tf from '@tensorflow/tfjs';

/** Window geometry as backend_util.computeConv2DInfo returns it. */
export type ConvInfo = tf.backend_util.Conv2DInfo;

/**
 * The input pixels each filter tap meets at every output position, taps in (row, column) order
 * concatenated on the channel axis: [batch, outHeight, outWidth, filterHeight * filterWidth * channels].
 * Channel k of tap (i, j) is element (i, j, k) of a [filterHeight, filterWidth, channels] filter.
 */
export function patches(x: tf.Tensor4D, info: ConvInfo): tf.Tensor4D {
  const { filterHeight: kh, filterWidth: kw, dilationHeight: dh, dilationWidth: dw } = info;
  const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow, padInfo } = info;
  const [b, h, w, c] = x.shape;
  // Rows the windows actually reach; padding beyond them is never read, a shortfall is cropped.
  const needH = (oh - 1) * sh + (kh - 1) * dh + 1;
  const needW = (ow - 1) * sw + (kw - 1) * dw + 1;
  const bottom = needH - h - padInfo.top;
  const right = needW - w - padInfo.left;
  const padded =
    padInfo.top > 0 || padInfo.left > 0 || bottom > 0 || right > 0
      ? tf.pad(x, [
          [0, 0],
          [padInfo.top, Math.max(bottom, 0)],
          [padInfo.left, Math.max(right, 0)],
          [0, 0],
        ])
      : x;
  if (kh === 1 && kw === 1 && sh === 1 && sw === 1 && padded.shape[1] === oh && padded.shape[2] === ow) return padded;
  const taps: tf.Tensor4D[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const r = i * dh;
      const q = j * dw;
      taps.push(
        sh === 1 && sw === 1
          ? tf.slice(padded, [0, r, q, 0], [b, oh, ow, c])
          : (tf.stridedSlice(padded, [0, r, q, 0], [b, r + (oh - 1) * sh + 1, q + (ow - 1) * sw + 1, c], [1, sh, sw, 1]) as tf.Tensor4D),
      );
    }
  }
  return taps.length === 1 ? taps[0]! : tf.concat(taps, 3);
}
