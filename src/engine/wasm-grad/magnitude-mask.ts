/**
 * Magnitude masks on wasm without a sort: the host selection of src/core/masks/magnitude.ts
 * (a quickselect of the threshold, ties to the lower flat index) run on the weights where they
 * lie on the wasm heap. tf.topk + scatterND sorted every kernel's magnitudes at each DST step:
 * most of the DST step's cost over a plain distillation step on MobileNet.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { magnitudeMaskKeeping } from '../../core/masks/magnitude';
import { nmMask } from '../../core/masks/nm';
import type { WasmHeap } from './simd/simd-kernels';

export const MAGNITUDE_MASK = 'PtsMagnitudeMask';

/**
 * A wasm kernel whose output is a 0/1 float mask of its input w's shape, computed on the host from
 * w where it lies on the heap. The output is allocated after the mask: a new output may grow the
 * heap and detach the view of w.
 */
function heapMaskKernel(kernelName: string, mask: (w: Float32Array, shape: number[], attrs: NamedAttrMap) => ArrayLike<number>): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const heap = backend as unknown as WasmHeap;
      const w = inputs['w'] as TensorInfo;
      const m = mask(heap.typedArrayFromHeap(w), [...w.shape], attrs as NamedAttrMap);
      const out = heap.makeOutput([...w.shape], 'float32');
      heap.typedArrayFromHeap(out).set(m);
      return out;
    },
  };
}

/** Input w; attr keep. Output the 0/1 float mask of w's shape. */
export const magnitudeMaskConfig = heapMaskKernel(MAGNITUDE_MASK, (w, _shape, a) => magnitudeMaskKeeping(w, a['keep'] as number));

/** Whether the active backend has the kernel (wasm with the studio's kernels registered). */
export function wasmMagnitudeMaskAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(MAGNITUDE_MASK, 'wasm') !== undefined;
}

/** The 0/1 mask keeping `keep` of the largest |w| (active backend wasm). */
export function wasmMagnitudeMask(w: tf.Tensor, keep: number): tf.Tensor {
  return tf.engine().runKernel(MAGNITUDE_MASK, { w }, { keep }) as tf.Tensor;
}

export const NM_MASK = 'PtsNmMask';

/**
 * Input w; attrs n, m. Output the 0/1 float N:M mask of w's shape: the host's one pass over the
 * groups (core/masks/nm.ts) on the weights where they lie. The generic ops (device-masks.ts
 * nmRankMask: M x M comparisons in about ten kernels with their temporaries) made a 2:4 DST step
 * cost 2.0-2.4x an unstructured one.
 */
export const nmMaskConfig = heapMaskKernel(NM_MASK, (w, shape, a) => nmMask(w, shape, a['n'] as number, a['m'] as number));

/** Whether the active backend has the N:M kernel (wasm with the studio's kernels registered). */
export function wasmNmMaskAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(NM_MASK, 'wasm') !== undefined;
}

/** The 0/1 N:M mask of `w` (active backend wasm). */
export function wasmNmMask(w: tf.Tensor, n: number, m: number): tf.Tensor {
  return tf.engine().runKernel(NM_MASK, { w }, { n, m }) as tf.Tensor;
}
