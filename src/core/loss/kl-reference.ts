/**
 * Plain-number references of the training objectives and their gradients with respect to the
 * student logits, written for clarity; the TF.js losses are tested against them.
 */

/** A loss value and dL/d(student logits), same shape as the logits. */
export interface LossWithGrad {
  /** Mean over the batch. */
  loss: number;
  /** Gradient with respect to the student logits. */
  grad: number[][];
}

/** log_softmax of one row, shifted by the max so exp never overflows. */
export function logSoftmax(z: number[]): number[] {
  const max = Math.max(...z);
  const lse = max + Math.log(z.reduce((a, v) => a + Math.exp(v - max), 0));
  return z.map((v) => v - lse);
}

/** softmax of one row. */
export function softmaxRow(z: number[]): number[] {
  return logSoftmax(z).map(Math.exp);
}

function checkBatch(a: number[][], b: number[][]): void {
  if (a.length !== b.length || a.some((row, i) => row.length !== b[i]!.length)) {
    throw new Error('teacher and student logits differ in shape');
  }
}

/**
 * Base-decayed KL of docs/method.md section 1: p_t = softmax(z_t / T), q = log_softmax(z_s / S) with
 * S = T (tempered student) or 1, L = T^2 * mean_b sum_k p_t[k] (log p_t[k] - q[k] / tau).
 * Gradient: dq_k/dz_j = (delta_kj - softmax(z_s / S)_j) / S and sum_k p_t[k] = 1, so
 * dL/dz_s[b][j] = T^2 / (tau * S * B) * (softmax(z_s / S)_j - p_t[j]).
 */
export function klDecayReference(
  teacherLogits: number[][],
  studentLogits: number[][],
  T: number,
  tau: number,
  temperStudent: boolean,
): LossWithGrad {
  checkBatch(teacherLogits, studentLogits);
  const batch = studentLogits.length;
  const s = temperStudent ? T : 1;
  let sum = 0;
  const grad = studentLogits.map((zs, b) => {
    const logPt = logSoftmax(teacherLogits[b]!.map((v) => v / T));
    const q = logSoftmax(zs.map((v) => v / s));
    for (let k = 0; k < q.length; k++) {
      const pt = Math.exp(logPt[k]!);
      // 0 * log 0 is 0; skip it so an underflowed teacher probability cannot give NaN.
      if (pt > 0) sum += pt * (logPt[k]! - q[k]! / tau);
    }
    const scale = (T * T) / (tau * s * batch);
    return q.map((lq, k) => scale * (Math.exp(lq) - Math.exp(logPt[k]!)));
  });
  return { loss: (T * T * sum) / batch, grad };
}

/** MSE on logits: mean over batch and classes of (z_s - z_t)^2; grad 2 (z_s - z_t) / (B K). */
export function mseReference(teacherLogits: number[][], studentLogits: number[][]): LossWithGrad {
  checkBatch(teacherLogits, studentLogits);
  const count = studentLogits.reduce((a, row) => a + row.length, 0);
  let sum = 0;
  const grad = studentLogits.map((zs, b) =>
    zs.map((v, k) => {
      const d = v - teacherLogits[b]![k]!;
      sum += d * d;
      return (2 * d) / count;
    }),
  );
  return { loss: count > 0 ? sum / count : 0, grad };
}

/** Cross-entropy on integer labels: mean_b -log_softmax(z_s)[label]; grad (softmax - onehot) / B. */
export function ceReference(labels: number[], studentLogits: number[][]): LossWithGrad {
  if (labels.length !== studentLogits.length) throw new Error('one label per row is needed');
  const batch = studentLogits.length;
  let sum = 0;
  const grad = studentLogits.map((zs, b) => {
    const q = logSoftmax(zs);
    const y = labels[b]!;
    sum -= q[y]!;
    return q.map((lq, k) => (Math.exp(lq) - (k === y ? 1 : 0)) / batch);
  });
  return { loss: batch > 0 ? sum / batch : 0, grad };
}
