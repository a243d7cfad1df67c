/** DepthwiseConv2dNativeBackpropFilter for wasm: per-tap products with dy, summed by a matMul with ones. */
import * as tf from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropFilterAttrs, KernelBackend, KernelConfig } from '@tensorflow/tfjs';
import { compose } from './compose';
import { patches } from './patches';

/** dW[i, j, c, m] = sum over (batch, output pixel) of input tap (i, j) channel c times dy channel c * M + m. */
export function depthwiseBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs,
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(x.shape, attrs.filterShape, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, true);
  const [kh, kw, c, m] = attrs.filterShape;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const cols = tf.reshape(patches(x, info), [rows, kh * kw, c, 1]);
  const prod = tf.mul(cols, tf.reshape(dy, [rows, 1, c, m]));
  // wasm's Sum transposes to reduce a leading axis; a [1, rows] x [rows, F] matMul does not.
  const sum = tf.matMul(tf.ones([1, rows]), tf.reshape(prod, [rows, kh * kw * c * m]));
  return tf.reshape(sum, attrs.filterShape);
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    compose(backend as KernelBackend, { x: inputs.x!, dy: inputs.dy! }, ({ x, dy }) =>
      depthwiseBackpropFilter(x as tf.Tensor4D, dy as tf.Tensor4D, attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs),
    ),
};
