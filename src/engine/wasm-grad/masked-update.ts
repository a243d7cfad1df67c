/**
 * The straight-through momentum-SGD step of a masked kernel on wasm as one pass over the heap
 * (v' = momentum v + g + coef d, d' = d - lr v'), instead of the generic ops' five kernels and
 * four temporaries. Same arithmetic, in float32, in the same order as the generic ops.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { MaskedUpdateInputs } from '../webgpu/masked-update';
import type { WasmHeap } from './simd/simd-kernels';

export const MASKED_UPDATE = 'PtsMaskedUpdate';

/** Inputs g, dense, velocity, coef; attrs momentum, lr. Outputs [velocity', dense']. */
export const maskedUpdateConfig: KernelConfig = {
  kernelName: MASKED_UPDATE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as unknown as WasmHeap;
    const shape = [...(inputs['dense'] as TensorInfo).shape];
    const { momentum, lr } = attrs as NamedAttrMap as { momentum: number; lr: number };
    // Outputs first: allocating may grow the heap and detach earlier views.
    const vOut = heap.makeOutput(shape, 'float32');
    const dOut = heap.makeOutput(shape, 'float32');
    const g = heap.typedArrayFromHeap(inputs['g'] as TensorInfo);
    const d = heap.typedArrayFromHeap(inputs['dense'] as TensorInfo);
    const v = heap.typedArrayFromHeap(inputs['velocity'] as TensorInfo);
    const c = heap.typedArrayFromHeap(inputs['coef'] as TensorInfo);
    const v2 = heap.typedArrayFromHeap(vOut);
    const d2 = heap.typedArrayFromHeap(dOut);
    const m = Math.fround(momentum);
    const rate = Math.fround(lr);
    for (let i = 0; i < d.length; i++) {
      // As tf.addN([v * momentum, g, coef * d]) and d - v' * lr, each product and sum rounded to float32.
      const vi = Math.fround(Math.fround(Math.fround(v[i]! * m) + g[i]!) + Math.fround(c[i]! * d[i]!));
      v2[i] = vi;
      d2[i] = d[i]! - Math.fround(vi * rate);
    }
    return [vOut, dOut];
  },
};

/** Whether the active backend has the kernel (wasm with the studio's kernels registered). */
export function wasmMaskedUpdateAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(MASKED_UPDATE, 'wasm') !== undefined;
}

/** One straight-through momentum-SGD step on wasm; new tensors (the caller assigns them). */
export function wasmMaskedUpdate(u: MaskedUpdateInputs): { velocity: tf.Tensor; dense: tf.Tensor } {
  const [velocity, dense] = tf.engine().runKernel(MASKED_UPDATE, { g: u.g, dense: u.dense, velocity: u.velocity, coef: u.coef }, { momentum: u.momentum, lr: u.lr }) as tf.Tensor[];
  return { velocity: velocity!, dense: dense! };
}
