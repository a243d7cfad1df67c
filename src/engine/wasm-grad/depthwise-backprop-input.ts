/**
 * DepthwiseConv2dNativeBackpropInput for wasm: dy spread out by the stride (zeros between rows
 * and columns), then a stride-1 depthwise conv with the spatially flipped filter.
 */
import * as tf from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropInputAttrs, KernelBackend, KernelConfig } from '@tensorflow/tfjs';
import { compose } from './compose';
import { fitPads } from './explicit-pad';

/** dy with stride - 1 zeros after every row and column: [b, oh * sh, ow * sw, c]. */
export function spread(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [b, oh, ow, c] = dy.shape;
  const grid = tf.reshape(dy, [b, oh, 1, ow, 1, c]);
  const zeros = tf.pad(grid, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tf.reshape(zeros, [b, oh * sh, ow * sw, c]);
}

/** dx[n, y, x, c] = sum over m and filter taps of dy[n, o, p, c * M + m] * w[i, j, c, m] where o * s + i * d - pad = y. */
export function depthwiseBackpropInput(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: DepthwiseConv2dNativeBackpropInputAttrs,
): tf.Tensor4D {
  const { strides, pad: padding, dimRoundingMode, inputShape } = attrs;
  const dilations = attrs.dilations ?? 1;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, dilations, padding, dimRoundingMode, true);
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padInfo } = info;
  const [kh, kw, c, m] = filter.shape;
  const [b, h, w] = inputShape;
  const effH = (kh - 1) * dh + 1;
  const effW = (kw - 1) * dw + 1;
  const spreadDy = spread(dy, sh, sw);
  // A stride-1 valid conv over h + effH - 1 rows yields h rows; the flipped filter's first tap sits effH - 1 - top rows up.
  const top = effH - 1 - padInfo.top;
  const left = effW - 1 - padInfo.left;
  const [src, pad] = fitPads(spreadDy, [
    top,
    h + effH - 1 - top - spreadDy.shape[1],
    left,
    w + effW - 1 - left - spreadDy.shape[2],
  ]);
  const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]) as tf.Tensor4D;
  const dx = tf.depthwiseConv2d(src, flipped, 1, pad, 'NHWC', [dh, dw]);
  return m === 1 ? dx : tf.sum(tf.reshape(dx, [b, h, w, c, m]), 4);
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    compose(backend as KernelBackend, { dy: inputs.dy!, filter: inputs.filter! }, ({ dy, filter }) =>
      depthwiseBackpropInput(dy as tf.Tensor4D, filter as tf.Tensor4D, attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs),
    ),
};
