/**
 * DepthwiseConv2dNativeBackpropFilter for wasm, as one forward depthwise conv: batch and
 * channels fold into the channel axis of a batch-1 input, dy (dilated by the stride) is the
 * filter, and the batch is summed out of the small [kh, kw, batch, channels] result.
 */
import * as tf from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropFilterAttrs, KernelBackend, KernelConfig } from '@tensorflow/tfjs';
import { compose } from './compose';
import { fitPads, readPads } from './explicit-pad';

/** dW[i, j, c, m] = sum over (batch, output pixel) of the input pixel tap (i, j) reads, channel c, times dy channel c * M + m. */
export function depthwiseBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs,
): tf.Tensor4D {
  const { strides, pad: padding, dimRoundingMode, filterShape } = attrs;
  const dilations = attrs.dilations ?? 1;
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, dilations, padding, dimRoundingMode, true);
  const [kh, kw, c, m] = filterShape;
  const { batchSize: b, outHeight: oh, outWidth: ow } = info;
  const [src, pad] = fitPads(x, readPads(info));
  const [, h, w] = src.shape;
  const folded = b === 1 ? src : (tf.reshape(tf.transpose(src, [1, 2, 0, 3]), [1, h, w, b * c]) as tf.Tensor4D);
  const dyByImage = tf.transpose(tf.reshape(dy, [b, oh, ow, c, m]), [1, 2, 0, 3, 4]);
  const dyAsFilter = tf.reshape(dyByImage, [oh, ow, b * c, m]) as tf.Tensor4D;
  // Taps sit `stride` apart in dy's frame; output pixels sit `dilation` apart (one of the two is 1).
  const taps: [number, number] = [info.dilationHeight, info.dilationWidth];
  const out = tf.depthwiseConv2d(folded, dyAsFilter, taps, pad, 'NHWC', [info.strideHeight, info.strideWidth]);
  const perImage = tf.reshape(out, [kh, kw, b, c * m]);
  return tf.reshape(b === 1 ? perImage : tf.sum(perImage, 2), filterShape);
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    compose(backend as KernelBackend, { x: inputs.x!, dy: inputs.dy! }, ({ x, dy }) =>
      depthwiseBackpropFilter(x as tf.Tensor4D, dy as tf.Tensor4D, attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs),
    ),
};
