/**
 * Conv2DBackpropInput for wasm as one forward conv (XNNPACK): dy spread out by the stride, then
 * a stride-1 conv with the spatially flipped filter whose input and output channels swap. wasm's
 * own kernel for it is a plain loop, several times slower than this on the demo model.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, KernelBackend, KernelConfig } from '@tensorflow/tfjs';
import { compose } from './compose';
import { spread } from './depthwise-backprop-input';
import { fitPads } from './explicit-pad';

/** dx[n, y, x, ci] = sum over taps and co of dy[n, o, p, co] * w[i, j, ci, co] where o * s + i - pad = y. */
export function conv2DBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Conv2DBackpropInputAttrs): tf.Tensor4D {
  const nchw = attrs.dataFormat === 'NCHW';
  const shape = attrs.inputShape as [number, number, number, number];
  const inShape: [number, number, number, number] = nchw ? [shape[0], shape[2], shape[3], shape[1]] : shape;
  const dys = nchw ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
  const info = tf.backend_util.computeConv2DInfo(inShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const [kh, kw] = filter.shape;
  const [, h, w] = inShape;
  const spreadDy = spread(dys, info.strideHeight, info.strideWidth);
  // As for depthwise: a stride-1 valid conv over h + kh - 1 rows gives h rows.
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const [src, pad] = fitPads(spreadDy, [top, h + kh - 1 - top - spreadDy.shape[1], left, w + kw - 1 - left - spreadDy.shape[2]]);
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  const dx = tf.conv2d(src, flipped, 1, pad);
  return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    compose(backend as KernelBackend, { dy: inputs.dy!, filter: inputs.filter! }, ({ dy, filter }) =>
      conv2DBackpropInput(dy as tf.Tensor4D, filter as tf.Tensor4D, attrs as unknown as Conv2DBackpropInputAttrs),
    ),
};
