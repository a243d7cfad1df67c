import * as tf from '@tensorflow/tfjs';
import type { TimingStats } from '../../core/events';

/** Median / min / max of a list of milliseconds. */
export function timingStats(ms: number[]): TimingStats {
  const s = [...ms].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0] ?? 0, max: s[s.length - 1] ?? 0, runs: s.length };
}

/**
 * Latency of two models on one input of `shape`, their timed runs alternating (a, b, a, b, ...)
 * after a warm-up run each, so that the machine's drifting speed falls on both alike; up to
 * `runs` each, at least 3, fewer once `budgetMs` is spent.
 */
export async function measureLatencyPair(a: tf.LayersModel, b: tf.LayersModel, shape: number[], runs: number, budgetMs = 8000, signal?: { aborted: boolean }): Promise<[TimingStats, TimingStats]> {
  const x = tf.randomUniform(shape, 0, 1, 'float32', 7);
  const once = async (model: tf.LayersModel) => {
    const t0 = performance.now();
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
    return performance.now() - t0;
  };
  try {
    await once(a);
    await once(b);
    const ta: number[] = [];
    const tb: number[] = [];
    const start = performance.now();
    for (let i = 0; i < runs; i++) {
      if (i >= 3 && performance.now() - start > budgetMs) break;
      if (signal?.aborted) break;
      ta.push(await once(a));
      tb.push(await once(b));
    }
    return [timingStats(ta), timingStats(tb)];
  } finally {
    x.dispose();
  }
}
