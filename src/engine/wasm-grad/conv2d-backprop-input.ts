/**
 * Conv2DBackpropInput for wasm as one forward conv (XNNPACK): at stride 1 a conv with the
 * spatially flipped filter whose input and output channels swap; strided, a conv per output
 * phase (phase-split.ts), which skips the zeros a stride-spread dy would multiply. wasm's own
 * kernel for it is a plain loop, several times slower than either on the demo model.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, KernelBackend, KernelConfig } from '@tensorflow/tfjs';
import { compose } from './compose';
import { fitPads } from './explicit-pad';
import { phaseSplitBackpropInput } from './phase-split';

/** dx[n, y, x, ci] = sum over taps and co of dy[n, o, p, co] * w[i, j, ci, co] where o * s + i - pad = y. */
export function conv2DBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Conv2DBackpropInputAttrs): tf.Tensor4D {
  const nchw = attrs.dataFormat === 'NCHW';
  const shape = attrs.inputShape as [number, number, number, number];
  const inShape: [number, number, number, number] = nchw ? [shape[0], shape[2], shape[3], shape[1]] : shape;
  const dys = nchw ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
  const info = tf.backend_util.computeConv2DInfo(inShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const dx = info.strideHeight === 1 && info.strideWidth === 1 ? unstrided(dys, filter, inShape, info) : phaseSplitBackpropInput(dys, filter, inShape, info);
  return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
}

/** The stride-1 case: one conv with the flipped filter (cheaper than building a phase filter). */
function unstrided(dy: tf.Tensor4D, filter: tf.Tensor4D, inShape: [number, number, number, number], info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const [kh, kw] = filter.shape;
  const [, h, w] = inShape;
  // As for depthwise: a stride-1 valid conv over h + kh - 1 rows gives h rows.
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const [src, pad] = fitPads(dy, [top, h + kh - 1 - top - dy.shape[1], left, w + kw - 1 - left - dy.shape[2]]);
  // wasm's Reverse is a slow loop, and a 1x1 filter (MobileNet's classifier: 256x1000) has nothing to flip.
  const flipped = tf.transpose(kh === 1 && kw === 1 ? filter : tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  return tf.conv2d(src, flipped, 1, pad);
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    compose(backend as KernelBackend, { dy: inputs.dy!, filter: inputs.filter! }, ({ dy, filter }) =>
      conv2DBackpropInput(dy as tf.Tensor4D, filter as tf.Tensor4D, attrs as unknown as Conv2DBackpropInputAttrs),
    ),
};
