import * as tf from '@tensorflow/tfjs';
import { requireNmGeometry } from '../../core/nm/groups';
import { webgpuMagnitudeMask, webgpuMagnitudeMaskAvailable } from '../webgpu/magnitude-mask';
import { webgpuNmMask, webgpuNmMaskAvailable } from '../webgpu/nm-mask';
import { webglMagnitudeMask, webglMagnitudeMaskAvailable } from '../webgl/magnitude-mask';
import { webglNmMask, webglNmMaskAvailable } from '../webgl/nm-mask';
import { selectMagnitudeMask } from './magnitude-select';
import { wasmMagnitudeMask, wasmMagnitudeMaskAvailable, wasmNmMask, wasmNmMaskAvailable } from '../wasm-grad/magnitude-mask';

/** How one kernel is masked. */
export type MaskSpec =
  | { kind: 'magnitude'; /** weights kept */ keep: number }
  | { kind: 'nm'; n: number; m: number }
  | { kind: 'dense' };

/** Backends whose magnitude masks use threshold selection instead of tf.topk. */
const SELECTING_BACKENDS = new Set(['webgl', 'webgpu']);

/**
 * The 0/1 float mask of `w` on the active backend, without leaving the device. Magnitude masks
 * keep exactly `keep` weights (ties: lower flat index first, matching src/core/masks/magnitude.ts):
 * on WebGPU by the studio's radix-select kernels (six dispatches, src/engine/webgpu); on WebGL 2
 * by the same selection in fragment shaders (ten draws, src/engine/webgl), or where float32
 * render targets are missing by threshold selection (magnitude-select.ts), since tf.topk there is
 * a bitonic sort and scatterND loops over every kept index per output; on wasm by the host
 * selection on the heap (wasm-grad/magnitude-mask.ts); on cpu by tf.topk, a native sort that
 * beats the selection's [64, n] comparisons there. N:M masks keep the N largest
 * |w| of every M consecutive input channels (axis rank-2), ties to the lower index: on WebGPU and
 * WebGL 2 in one shader, on wasm in one host pass on the heap, elsewhere by rank comparisons over
 * all groups at once.
 */
export function deviceMask(w: tf.Tensor, spec: MaskSpec): tf.Tensor {
  return tf.tidy(() => {
    const n = w.size;
    if (spec.kind === 'dense' || (spec.kind === 'magnitude' && spec.keep >= n)) return tf.onesLike(w);
    if (spec.kind === 'magnitude') {
      if (spec.keep <= 0) return tf.zerosLike(w);
      if (webgpuMagnitudeMaskAvailable()) return webgpuMagnitudeMask(w, spec.keep);
      if (webglMagnitudeMaskAvailable()) return webglMagnitudeMask(w, spec.keep);
      if (SELECTING_BACKENDS.has(tf.getBackend())) return tf.reshape(selectMagnitudeMask(w, spec.keep), w.shape);
      if (wasmMagnitudeMaskAvailable()) return wasmMagnitudeMask(w, spec.keep);
      const { indices } = tf.topk(tf.abs(tf.reshape(w, [n])), spec.keep, false);
      const ones = tf.ones([spec.keep]);
      return tf.reshape(tf.scatterND(tf.reshape(indices, [spec.keep, 1]), ones, [n]), w.shape);
    }
    if (webgpuNmMaskAvailable()) return webgpuNmMask(w, spec.n, spec.m);
    if (webglNmMaskAvailable()) return webglNmMask(w, spec.n, spec.m);
    if (wasmNmMaskAvailable()) return wasmNmMask(w, spec.n, spec.m);
    return nmRankMask(w, spec.n, spec.m);
  });
}

/**
 * N:M masks by generic ops: each weight's rank in its group by comparisons over all groups at
 * once (about ten shaders on a GPU backend).
 */
export function nmRankMask(w: tf.Tensor, n: number, m: number): tf.Tensor {
  return tf.tidy(() => {
    const shape = w.shape;
    const { outer: pre, inChannels, out } = requireNmGeometry(shape, m);
    const groups = inChannels / m;
    // [pre * groups, M, out]; each weight's rank inside its group is the count of larger
    // magnitudes (equal ones count when at a lower index), and the N of rank < N are kept. The
    // counted axis is last and nothing cast from bool is transposed: TF.js's WebGPU transpose of
    // such a tensor fails to compile (sum over an inner axis transposes), which left every N:M
    // mask empty there; the start-up mask self-test caught it. Rank 4 at most. NaN ranks below
    // every real magnitude, as on the host.
    const g = tf.reshape(tf.where(tf.isNaN(w), tf.fill(w.shape, -1), tf.abs(w)), [pre * groups, m, out]);
    const a = tf.expandDims(g, 3); // [P, M, out, 1]: this weight
    const b = tf.expandDims(tf.transpose(g, [0, 2, 1]), 1); // [P, 1, out, M]: the others
    const idx = tf.range(0, m, 1, 'int32');
    const lower = tf.reshape(tf.less(tf.reshape(idx, [1, m]), tf.reshape(idx, [m, 1])), [1, m, 1, m]); // [j < i]
    const beats = tf.logicalOr(tf.greater(b, a), tf.logicalAnd(tf.equal(b, a), lower));
    const rank = tf.sum(tf.cast(beats, 'float32'), 3);
    return tf.reshape(tf.cast(tf.less(rank, n), 'float32'), shape);
  });
}
