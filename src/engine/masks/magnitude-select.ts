/**
 * Unstructured magnitude masks on the device by threshold selection instead of sorting: a fixed
 * handful of compare-and-count passes narrows a value range around the keep-th largest |w|, then
 * the mask is |w| > t plus the ties at t in flat-index order. Only elementwise ops, reductions and
 * one cumsum, so WebGL/WebGPU run small shaders (about 150 a layer) where tf.topk would run a
 * bitonic sort and scatterND loop over every kept index per output element; nothing is read back.
 */
import * as tf from '@tensorflow/tfjs';

/** Pivots compared per pass; the [PIVOTS, n] comparison is the largest intermediate. */
const PIVOTS = 64;
/**
 * Pass kinds in order. Log-spaced passes find the binade of the threshold even when |w| spans
 * many orders of magnitude; each linear pass then cuts the range 65-fold, so four of them reach
 * float32 resolution (2^24 steps) inside the remaining span.
 */
const PASSES: ('log' | 'linear')[] = ['log', 'log', 'linear', 'linear', 'linear', 'linear'];
/** Exact last steps: step down to the next smaller element while fewer than keep are >= it. */
const PEELS = 3;
/** Floor for logarithms, so all-zero layers give finite pivots (a normal float32). */
const TINY = 1e-37;

/**
 * The magnitude a mask ranks a weight by, as src/core/masks/magnitude.ts magnitudeOf does: |w|,
 * and -1 for NaN so a NaN weight ranks below every real one.
 */
function magnitudesOf(w: tf.Tensor): tf.Tensor1D {
  const flat = tf.reshape(w, [w.size]);
  return tf.where(tf.isNaN(flat), tf.fill([w.size], -1), tf.abs(flat)) as tf.Tensor1D;
}

/**
 * One narrowing pass. Invariant in and out: lo <= t <= hi, t the keep-th largest. Counting
 * #{a >= p} for each pivot p is exact whatever the pivots are, so the pass stays correct even
 * where log/exp round differently on a backend. `shrink` moves the bounds onto the nearest
 * elements inside (a few more shaders; log passes need it to find the smallest magnitude).
 */
function narrow(a: tf.Tensor1D, row: tf.Tensor2D, lo: tf.Tensor, hi: tf.Tensor, pivots: tf.Tensor1D, keep: number, shrink: boolean): [tf.Tensor, tf.Tensor] {
  const counts = tf.sum(tf.cast(tf.greaterEqual(row, tf.reshape(pivots, [PIVOTS, 1])), 'float32'), 1);
  const atOrBelow = tf.greaterEqual(counts, keep); // pivot <= t
  // Old bounds stand in for pivots on the wrong side (no infinities in GPU textures).
  const newLo = tf.max(tf.where(atOrBelow, tf.maximum(pivots, lo), lo));
  const newHi = tf.min(tf.where(atOrBelow, hi, tf.minimum(pivots, hi)));
  if (!shrink) return [newLo, newHi];
  const inside = tf.logicalAnd(tf.greaterEqual(a, newLo), tf.lessEqual(a, newHi));
  return [tf.min(tf.where(inside, a, newHi)), tf.max(tf.where(inside, a, newLo))];
}

/** Where the pivots sit between the bounds: j / (PIVOTS + 1), j = 1..PIVOTS. */
const FRACTIONS = Float32Array.from({ length: PIVOTS }, (_, j) => (j + 1) / (PIVOTS + 1));

/** PIVOTS values spread over [lo, hi]: evenly, or evenly in log over its positive part. */
function pivotsFor(kind: 'log' | 'linear', a: tf.Tensor1D, lo: tf.Tensor, hi: tf.Tensor, frac: tf.Tensor1D): tf.Tensor1D {
  if (kind === 'linear') return tf.add(lo, tf.mul(tf.sub(hi, lo), frac)) as tf.Tensor1D;
  const top = tf.maximum(hi, TINY);
  const minPositive = tf.min(tf.where(tf.greater(a, 0), a, top));
  const bottom = tf.minimum(tf.maximum(tf.maximum(minPositive, lo), TINY), top);
  const l0 = tf.log(bottom);
  return tf.exp(tf.add(l0, tf.mul(tf.sub(tf.log(top), l0), frac))) as tf.Tensor1D;
}

/** Layers up to this size rank every weight against every other in one pass (n^2 work). */
const PAIRWISE_MAX = 1024;

/** Keeps the weights whose rank (larger magnitudes, then equal ones at lower indices) is < keep. */
function pairwiseMask(a: tf.Tensor1D, keep: number): tf.Tensor1D {
  const n = a.size;
  const self = tf.reshape(a, [n, 1]);
  const other = tf.reshape(a, [1, n]);
  const idx = tf.range(0, n, 1, 'int32');
  const lower = tf.less(tf.reshape(idx, [1, n]), tf.reshape(idx, [n, 1])); // [other index < self index]
  const beats = tf.logicalOr(tf.greater(other, self), tf.logicalAnd(tf.equal(other, self), lower));
  return tf.cast(tf.less(tf.sum(tf.cast(beats, 'float32'), 1), keep), 'float32') as tf.Tensor1D;
}

/**
 * The 0/1 float mask ([n], flat order of w) keeping exactly `keep` (1..n-1) of the largest |w|,
 * ties at the threshold to the lower flat index, equal to src/core/masks/magnitude.ts. Small
 * layers take the pairwise ranking: a dozen shaders instead of about 150.
 */
export function selectMagnitudeMask(w: tf.Tensor, keep: number): tf.Tensor1D {
  return tf.tidy(() => {
    const a = magnitudesOf(w);
    if (a.size <= PAIRWISE_MAX) return pairwiseMask(a, keep);
    const row = tf.reshape(a, [1, a.size]) as tf.Tensor2D;
    let lo: tf.Tensor = tf.min(a);
    let hi: tf.Tensor = tf.max(a);
    const frac = tf.tensor1d(FRACTIONS); // an upload, not a shader per pass
    for (const kind of PASSES) [lo, hi] = narrow(a, row, lo, hi, pivotsFor(kind, a, lo, hi, frac), keep, kind === 'log');
    // hi may be a pivot now, above every element; each peel steps down to the next element.
    let t = hi;
    for (let i = 0; i < PEELS; i++) {
      const enough = tf.greaterEqual(tf.sum(tf.cast(tf.greaterEqual(a, t), 'float32')), keep);
      const next = tf.max(tf.where(tf.less(a, t), a, lo));
      t = tf.where(enough, t, next);
    }
    const above = tf.greater(a, t);
    const equal = tf.cast(tf.equal(a, t), 'float32');
    const room = tf.sub(keep, tf.sum(tf.cast(above, 'float32'))); // ties still to keep
    const tieRank = tf.cumsum(equal, 0, true); // ties before this one, in flat order
    const tieKept = tf.logicalAnd(tf.greater(equal, 0), tf.less(tieRank, room));
    return tf.cast(tf.logicalOr(above, tieKept), 'float32') as tf.Tensor1D;
  });
}
