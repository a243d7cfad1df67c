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
 * channels (axis rank-2), ties to the lower index, by rank comparisons over all groups at once.
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
    // [pre, groups, M, out] -> [pre, groups, out, M]; each weight's rank inside its group is
    // the count of larger magnitudes (equal ones count when at a lower index), and the N of
    // rank < N are kept. Comparisons only, so every backend yields exact 0/1 (no top-k).
    const g = tf.transpose(tf.reshape(tf.abs(w), [pre, groups, spec.m, out]), [0, 1, 3, 2]);
    const a = tf.expandDims(g, 4); // [.., M, 1]: this weight
    const b = tf.expandDims(g, 3); // [.., 1, M]: the others
    const idx = tf.range(0, spec.m, 1, 'int32');
    const lower = tf.less(tf.reshape(idx, [1, spec.m]), tf.reshape(idx, [spec.m, 1])); // [j < i]
    const beats = tf.logicalOr(tf.greater(b, a), tf.logicalAnd(tf.equal(b, a), lower));
    const rank = tf.sum(tf.cast(beats, 'float32'), 4);
    const picked = tf.cast(tf.less(rank, spec.n), 'float32');
    return tf.reshape(tf.transpose(picked, [0, 1, 3, 2]), shape);
  });
}
