/**
 * Magnitude masks on wasm without a sort: the host selection of src/core/masks/magnitude.ts
 * (a quickselect of the threshold, ties to the lower flat index) run on the weights where they
 * lie on the wasm heap. tf.topk + scatterND sorted every kernel's magnitudes at each DST step:
 * most of the DST step's cost over a plain distillation step on MobileNet.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { magnitudeMaskKeeping } from '../../core/masks/magnitude';
import type { WasmHeap } from './simd/simd-kernels';

export const MAGNITUDE_MASK = 'PtsMagnitudeMask';

/** Input w; attr keep. Output the 0/1 float mask of w's shape. */
export const magnitudeMaskConfig: KernelConfig = {
  kernelName: MAGNITUDE_MASK,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as unknown as WasmHeap;
    const w = inputs['w'] as TensorInfo;
    const mask = magnitudeMaskKeeping(heap.typedArrayFromHeap(w), (attrs as NamedAttrMap)['keep'] as number);
    // Allocated after the selection: a new output may grow the heap and detach the view of w.
    const out = heap.makeOutput([...w.shape], 'float32');
    heap.typedArrayFromHeap(out).set(mask);
    return out;
  },
};

/** Whether the active backend has the kernel (wasm with the studio's kernels registered). */
export function wasmMagnitudeMaskAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(MAGNITUDE_MASK, 'wasm') !== undefined;
}

/** The 0/1 mask keeping `keep` of the largest |w| (active backend wasm). */
export function wasmMagnitudeMask(w: tf.Tensor, keep: number): tf.Tensor {
  return tf.engine().runKernel(MAGNITUDE_MASK, { w }, { keep }) as tf.Tensor;
}
