/**
 * Slice for wasm in runs as long as the layout allows: every trailing axis the slice takes whole
 * joins the run of the axis before it, so a crop of an NHWC activation (the gradient of a
 * ZeroPadding2D or any Pad) copies one row of width x channels per call. wasm's own kernel copies
 * one pixel's channels per call through a fresh subarray: the Teachable Machine MobileNetV2's five
 * pad gradients took a quarter of its training step (267 ms of 1032 at batch 16).
 */
import * as tf from '@tensorflow/tfjs';
// wasm's own kernels are registered first, so index.ts can replace Slice (strings still go to wasm's).
import '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

interface Heap {
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
}

/** wasm's own Slice, for string tensors (their bytes live outside the heap). */
const wasmSlice = tf.getKernel(tf.Slice, 'wasm')?.kernelFunc;

/**
 * Copies the slice of `x` (shape `shape`) starting at `begin`, of extent `size`, into `out`: one
 * set() per run of the innermost axis that the slice does not take whole, with every axis after it.
 */
export function copySlice(x: Float32Array | Int32Array | Uint8Array, shape: readonly number[], begin: readonly number[], size: readonly number[], out: typeof x): void {
  const rank = shape.length;
  if (size.some((s) => s === 0)) return;
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  // The run's axis: the last one that is not taken whole (every axis after it is).
  let axis = rank - 1;
  while (axis > 0 && begin[axis] === 0 && size[axis] === shape[axis]) axis--;
  const run = size[axis]! * (strides[axis] ?? 1);
  const base = begin.reduce((p, b, d) => p + b * strides[d]!, 0);
  const index = new Array<number>(axis).fill(0);
  let at = 0;
  for (;;) {
    let offset = base;
    for (let d = 0; d < axis; d++) offset += index[d]! * strides[d]!;
    out.set(x.subarray(offset, offset + run), at);
    at += run;
    // The next index over the outer axes, last fastest.
    let d = axis - 1;
    while (d >= 0 && ++index[d]! === size[d]) index[d--] = 0;
    if (d < 0) return;
  }
}

export const sliceConfig: KernelConfig = {
  kernelName: tf.Slice,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const x = args.inputs['x'] as TensorInfo;
    if (x.dtype === 'string' && wasmSlice) return (wasmSlice as KernelFunc)(args);
    const a = args.attrs as NamedAttrMap;
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, a['begin'] as number[], a['size'] as number[]) as [number[], number[]];
    const heap = args.backend as unknown as Heap;
    const out = heap.makeOutput(size, x.dtype);
    copySlice(heap.typedArrayFromHeap(x), x.shape, begin, size, heap.typedArrayFromHeap(out));
    return out;
  },
};
