/**
 * Conv2DBackpropFilter for wasm, as one forward conv that wasm runs through XNNPACK: the input's
 * channels become the batch, its batch the input channels, and dy the filter, dilated by the
 * stride. A 1x1 stride-1 filter is a plain matMul. The SIMD kernels below take over where they apply.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { compose } from './compose';
import { fitPads, readPads } from './explicit-pad';
import { convFilterGradSimd, pointwiseFilterGradSimd, simdConvFilterApplies, simdPointwiseApplies, type WasmHeap } from './simd/simd-kernels';

/** dW[i, j, ci, co] = sum over (batch, output pixel) of the input pixel tap (i, j) reads, channel ci, times dy channel co. */
export function conv2DBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Conv2DBackpropFilterAttrs): tf.Tensor4D {
  const nchw = attrs.dataFormat === 'NCHW';
  const xs = nchw ? tf.transpose(x, [0, 2, 3, 1]) : x;
  const dys = nchw ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
  const info = tf.backend_util.computeConv2DInfo(xs.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const [kh, kw, ci, co] = attrs.filterShape;
  const pads = readPads(info);
  if (kh === 1 && kw === 1 && info.strideHeight === 1 && info.strideWidth === 1 && pads.every((p) => p === 0)) {
    const rows = info.batchSize * info.outHeight * info.outWidth;
    const x2 = tf.reshape(xs, [rows, ci]);
    const dy2 = tf.reshape(dys, [rows, co]);
    // wasm's matMul is far slower with transposeA than an explicit transpose first. Which side
    // to transpose is measured: with more output than input channels, dy^T x and a transpose of
    // the small result ran 1.1-2x faster on MobileNet's pointwise convs, except with only 8 input
    // channels (x^T is the cheaper copy then) or few rows.
    if (ci < co && ci >= 16 && rows >= co) return tf.reshape(tf.transpose(tf.matMul(tf.transpose(dy2), x2)), attrs.filterShape);
    return tf.reshape(tf.matMul(tf.transpose(x2), dy2), attrs.filterShape);
  }
  const [src, pad] = fitPads(xs, pads);
  const channelsAsBatch = tf.transpose(src, [3, 1, 2, 0]);
  const dyAsFilter = tf.transpose(dys, [1, 2, 0, 3]);
  const out = tf.conv2d(channelsAsBatch, dyAsFilter, 1, pad, 'NHWC', [info.strideHeight, info.strideWidth]);
  return tf.transpose(out, [1, 2, 0, 3]);
}

/** Input channels up to which the pointwise kernel beat the matMul form on MobileNet's layers (beyond, XNNPACK's GEMM won). */
const POINTWISE_SIMD_MAX_CI = 64;

/**
 * The filter gradient by the studio's SIMD kernels (simd/kernels.wat) where they apply (NHWC, float32, output channels a
 * multiple of 8), on the tensors in place; null elsewhere. A pointwise conv (1x1, stride 1, unpadded) with up to
 * POINTWISE_SIMD_MAX_CI input channels goes through register tiles over blocks of rows (the matMul form above
 * transposed x or dy and had XNNPACK pack a rows-long operand each call), wider ones stay with the matMul. Any other
 * conv goes through one pass per tap and output row: the channels-as-batch form above had XNNPACK pack dy as a filter
 * the size of the image at every call (a third of the demo CNN's training step; MobileNet's first conv took as long
 * as all its pointwise ones).
 */
function simdFilterGrad(x: TensorInfo, dy: TensorInfo, backend: KernelBackend, attrs: Conv2DBackpropFilterAttrs): TensorInfo | null {
  const [kh, kw, ci, co] = attrs.filterShape;
  if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || dy.dtype !== 'float32' || !simdConvFilterApplies(co)) return null;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const pointwise = kh === 1 && kw === 1 && info.strideHeight === 1 && info.strideWidth === 1 && readPads(info).every((p) => p === 0);
  if (pointwise && !(ci <= POINTWISE_SIMD_MAX_CI && simdPointwiseApplies(ci, co))) return null;
  const out = (backend as unknown as WasmHeap).makeOutput([...attrs.filterShape], 'float32');
  if (pointwise) pointwiseFilterGradSimd(backend, x, dy, info.batchSize * info.outHeight * info.outWidth, ci, co, out);
  else convFilterGradSimd(backend, x, dy, info, out);
  return out;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as Conv2DBackpropFilterAttrs;
    return (
      simdFilterGrad(inputs.x!, inputs.dy!, backend as KernelBackend, a) ??
      compose(backend as KernelBackend, { x: inputs.x!, dy: inputs.dy! }, ({ x, dy }) => conv2DBackpropFilter(x as tf.Tensor4D, dy as tf.Tensor4D, a))
    );
  },
};
