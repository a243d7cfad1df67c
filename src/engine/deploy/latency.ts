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
 * Inference latency of `model` on one input of `shape` (batch included): a warm-up run, then up
 * to `runs` timed runs (at least 3, fewer once `budgetMs` is spent, so slow software adapters
 * do not stall the run), each waiting for the result so GPU backends are measured honestly.
 */
export async function measureLatency(model: tf.LayersModel, shape: number[], runs: number, budgetMs = 4000): Promise<TimingStats> {
  const x = tf.randomUniform(shape, 0, 1, 'float32', 7);
  const once = async () => {
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  try {
    await once();
    const times: number[] = [];
    const start = performance.now();
    for (let i = 0; i < runs; i++) {
      if (i >= 3 && performance.now() - start > budgetMs) break;
      const t0 = performance.now();
      await once();
      times.push(performance.now() - t0);
    }
    return timingStats(times);
  } finally {
    x.dispose();
  }
}
