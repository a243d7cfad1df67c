/** Conv2DBackpropFilter for wasm: im2col of the input, then one matMul with dy. */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, KernelBackend, KernelConfig } from '@tensorflow/tfjs';
import { compose } from './compose';
import { patches } from './patches';

/** dW[i, j, ci, co] = sum over (batch, output pixel) of input tap (i, j) channel ci times dy channel co. */
export function conv2DBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Conv2DBackpropFilterAttrs): tf.Tensor4D {
  const nchw = attrs.dataFormat === 'NCHW';
  const xs = nchw ? tf.transpose(x, [0, 2, 3, 1]) : x;
  const dys = nchw ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
  const info = tf.backend_util.computeConv2DInfo(xs.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const cols = patches(xs, info);
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const [kh, kw, ci, co] = attrs.filterShape;
  const dw = tf.matMul(tf.reshape(cols, [rows, kh * kw * ci]), tf.reshape(dys, [rows, co]), true, false);
  return tf.reshape(dw, attrs.filterShape);
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    compose(backend as KernelBackend, { x: inputs.x!, dy: inputs.dy! }, ({ x, dy }) =>
      conv2DBackpropFilter(x as tf.Tensor4D, dy as tf.Tensor4D, attrs as unknown as Conv2DBackpropFilterAttrs),
    ),
};
