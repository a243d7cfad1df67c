import type { TimingStats } from '../events';

/** Within this ratio of 1, two medians of a few batch-1 runs are called the same speed. */
const SAME_SPEED = 0.1;

/**
 * What the dense-vs-sparse latency says, in words. TF.js's backends run dense kernels, which do
 * the same work whatever the weights are, so a sparse model cannot really be faster there: a
 * difference is called one only when the two models' runs do not overlap and the medians differ
 * by more than 10%, and even then it is not offered as a speed-up to expect.
 */
export function latencyNote(backend: string, dense: TimingStats, sparse: TimingStats): string {
  const ratio = dense.median / Math.max(sparse.median, 1e-9);
  const runtime = 'Speed-ups need a sparse runtime (CSR kernels for unstructured sparsity, sparse tensor cores for 2:4).';
  const apart = sparse.max < dense.min || dense.max < sparse.min;
  if (!apart || Math.abs(ratio - 1) <= SAME_SPEED) {
    return `The sparse model runs at the dense model's speed here (${ratio.toFixed(2)}x, within this machine's timing noise): ${backend}'s dense kernels multiply the zeros like any other weight. ${runtime}`;
  }
  const how = ratio > 1 ? `${ratio.toFixed(2)}x faster` : `${(1 / ratio).toFixed(2)}x slower`;
  return `The sparse model ran ${how} than the dense one in these runs, but ${backend}'s kernels are dense and do the same work for both, so this is the machine's timing, not a speed-up to expect when deploying. ${runtime}`;
}
