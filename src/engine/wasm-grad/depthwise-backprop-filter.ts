/**
 * DepthwiseConv2dNativeBackpropFilter for wasm, one filter tap at a time: the input pixels tap
 * (i, j) reads come from a forward depthwise conv of x with a one-hot filter (same stride,
 * padding and dilation, so they have dy's shape), times dy, summed over batch and pixels per
 * channel. XNNPACK's 3 x 3 depthwise conv is the fastest gather wasm has here: a strided
 * slice was 10x slower. (The first form, one depthwise conv with dy as a batch-folded filter,
 * made XNNPACK pack a 112 x 112 filter each call: a third of a MobileNet training step.)
 */
import * as tf from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropFilterAttrs, KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { compose } from './compose';
import { depthwiseFilterGradSimd, simdAvailable, type WasmHeap } from './simd/simd-kernels';

/** [kh, kw, c, 1] with ones at tap (i, j) for every channel. */
function oneHotTap(kh: number, kw: number, c: number, i: number, j: number): tf.Tensor4D {
  const v = new Float32Array(kh * kw * c);
  v.fill(1, (i * kw + j) * c, (i * kw + j + 1) * c);
  return tf.tensor4d(v, [kh, kw, c, 1]);
}

/** dW[i, j, c, m] = sum over (batch, output pixel) of the input pixel tap (i, j) reads, channel c, times dy channel c * M + m. */
export function depthwiseBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs,
): tf.Tensor4D {
  const { strides, pad, dimRoundingMode, filterShape } = attrs;
  const dilations = attrs.dilations ?? 1;
  const [kh, kw, c, m] = filterShape;
  const [b, oh, ow] = dy.shape;
  const g = m === 1 ? dy : tf.reshape(dy, [b, oh, ow, c, m]);
  const taps: tf.Tensor[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      taps.push(tf.tidy(() => {
        const seen = tf.depthwiseConv2d(x, oneHotTap(kh, kw, c, i, j), strides, pad, 'NHWC', dilations, typeof pad === 'number' ? dimRoundingMode : undefined);
        const prod = m === 1 ? tf.mul(seen, g) : tf.mul(tf.reshape(seen, [b, oh, ow, c, 1]), g);
        // Every axis but the channels: the leading-axis Sum of reduce-leading.ts.
        return tf.sum(tf.reshape(prod, [b * oh * ow, c * m]), 0);
      }));
    }
  }
  return tf.reshape(tf.stack(taps), filterShape);
}

/**
 * The studio's SIMD kernel (simd/kernels.wat) where it applies (channel multiplier 1, float32,
 * WebAssembly SIMD present): one pass per tap over x and dy, accumulating in registers. On
 * MobileNet v1 0.25 at batch 32 the one-hot form above cost a quarter of a training step.
 */
function simdFilterGrad(x: TensorInfo, dy: TensorInfo, backend: KernelBackend, attrs: DepthwiseConv2dNativeBackpropFilterAttrs): TensorInfo | null {
  const { strides, pad, dimRoundingMode, filterShape } = attrs;
  if (filterShape[3] !== 1 || x.dtype !== 'float32' || dy.dtype !== 'float32' || !simdAvailable()) return null;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, attrs.dilations ?? 1, pad, dimRoundingMode, true);
  const out = (backend as unknown as WasmHeap).makeOutput([...filterShape], 'float32');
  depthwiseFilterGradSimd(backend, x, dy, info, out);
  return out;
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
    return (
      simdFilterGrad(inputs.x!, inputs.dy!, backend as KernelBackend, a) ??
      compose(backend as KernelBackend, { x: inputs.x!, dy: inputs.dy! }, ({ x, dy }) => depthwiseBackpropFilter(x as tf.Tensor4D, dy as tf.Tensor4D, a))
    );
  },
};
