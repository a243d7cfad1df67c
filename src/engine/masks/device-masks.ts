import * as tf from '@tensorflow/tfjs';

/** How one kernel is masked. */
export type MaskSpec =
  | { kind: 'magnitude'; /** weights kept */ keep: number }
  | { kind: 'nm'; n: number; m: number }
  | { kind: 'dense' };

/**
 * The 0/1 float mask of `w` on the active backend, without leaving the device. Magnitude masks
 * keep exactly `keep` weights (ties: lower flat index first, as tf.topk orders them, matching
 * src/core/masks/magnitude.ts); N:M masks keep the N largest |w| of every M consecutive input
 * channels (axis rank-2), all groups in one top-k.
 */
export function deviceMask(w: tf.Tensor, spec: MaskSpec): tf.Tensor {
  return tf.tidy(() => {
    const n = w.size;
    if (spec.kind === 'dense' || (spec.kind === 'magnitude' && spec.keep >= n)) return tf.onesLike(w);
    if (spec.kind === 'magnitude') {
      if (spec.keep <= 0) return tf.zerosLike(w);
      const { indices } = tf.topk(tf.abs(tf.reshape(w, [n])), spec.keep, false);
      const ones = tf.ones([spec.keep]);
      return tf.reshape(tf.scatterND(tf.reshape(indices, [spec.keep, 1]), ones, [n]), w.shape);
    }
    const shape = w.shape;
    const r = shape.length;
    const inC = shape[r - 2]!;
    const out = shape[r - 1]!;
    const pre = shape.slice(0, r - 2).reduce((a, b) => a * b, 1);
    const groups = inC / spec.m;
    if (!Number.isInteger(groups)) throw new Error(`N:M mask: ${inC} input channels are not a multiple of ${spec.m}`);
    // [pre, groups, M, out] -> [pre, groups, out, M] so top-k runs over each group.
    const g = tf.transpose(tf.reshape(tf.abs(w), [pre, groups, spec.m, out]), [0, 1, 3, 2]);
    const { indices } = tf.topk(g, spec.n, false);
    const picked = tf.sum(tf.oneHot(tf.reshape(indices, [-1]), spec.m).reshape([pre, groups, out, spec.n, spec.m]), 3);
    return tf.reshape(tf.transpose(picked, [0, 1, 3, 2]), shape);
  });
}
