import type { Metrics } from '../events';

/** Index of the largest of `c` values starting at `off` (first one on ties). */
function argmax(v: ArrayLike<number>, off: number, c: number): number {
  let best = 0;
  for (let k = 1; k < c; k++) if (v[off + k]! > v[off + best]!) best = k;
  return best;
}

/** log-softmax of one row into `out`. */
function logSoftmaxRow(v: ArrayLike<number>, off: number, c: number, out: Float64Array): void {
  let mx = -Infinity;
  for (let k = 0; k < c; k++) mx = Math.max(mx, v[off + k]!);
  let s = 0;
  for (let k = 0; k < c; k++) s += Math.exp(v[off + k]! - mx);
  const lse = mx + Math.log(s);
  for (let k = 0; k < c; k++) out[k] = v[off + k]! - lse;
}

/**
 * Scores logits ([count, classes], row-major) against labels and against the dense model's
 * logits: top-1/top-5 accuracy, top-1 agreement, mean KL(dense || model) at temperature 1.
 */
export function scoreLogits(
  logits: ArrayLike<number>,
  denseLogits: ArrayLike<number>,
  classes: number,
  labels: ArrayLike<number> | null,
): Metrics {
  const count = Math.floor(logits.length / classes);
  const lp = new Float64Array(classes);
  const lq = new Float64Array(classes);
  let agree = 0;
  let top1 = 0;
  let top5 = 0;
  let kl = 0;
  for (let i = 0; i < count; i++) {
    const off = i * classes;
    const pred = argmax(logits, off, classes);
    if (pred === argmax(denseLogits, off, classes)) agree++;
    logSoftmaxRow(denseLogits, off, classes, lp);
    logSoftmaxRow(logits, off, classes, lq);
    for (let k = 0; k < classes; k++) kl += Math.exp(lp[k]!) * (lp[k]! - lq[k]!);
    if (labels) {
      const y = labels[i]!;
      if (pred === y) top1++;
      // Rank of the true class: how many classes score strictly higher.
      let higher = 0;
      for (let k = 0; k < classes; k++) if (logits[off + k]! > logits[off + y]!) higher++;
      if (higher < 5) top5++;
    }
  }
  const n = Math.max(count, 1);
  const m: Metrics = { agreement: agree / n, kl: kl / n, count };
  if (labels) {
    m.top1 = top1 / n;
    if (classes >= 5) m.top5 = top5 / n;
  }
  return m;
}

/** The number a run maximises when choosing checkpoints: top-1 when labelled, else agreement. */
export function headlineScore(m: Metrics): number {
  return m.top1 ?? m.agreement;
}
