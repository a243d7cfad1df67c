import { describe, expect, it } from 'vitest';
import { latencyNote } from './latency-note';

const t = (median: number, min: number, max: number) => ({ median, min, max, runs: 7 });

describe('latencyNote', () => {
  it('calls overlapping runs the same speed, even with a 1.29x ratio of medians', () => {
    // The page once said "The sparse model ran 1.29x faster here" for these medians.
    const note = latencyNote('wasm', t(2.25, 1.6, 3.1), t(1.74, 1.5, 2.6));
    expect(note).toMatch(/^The sparse model runs at the dense model's speed here \(1\.29x, within this machine's timing noise\)/);
    expect(note).not.toContain('faster');
  });

  it('calls close medians the same speed though the runs are apart', () => {
    expect(latencyNote('wasm', t(2.0, 1.95, 2.05), t(1.9, 1.85, 1.92))).toContain("runs at the dense model's speed");
  });

  it('names a clear difference but not as a speed-up to expect', () => {
    const faster = latencyNote('webgl', t(3.0, 2.9, 3.2), t(2.0, 1.9, 2.1));
    expect(faster).toMatch(/^The sparse model ran 1\.50x faster than the dense one in these runs, but webgl's kernels are dense/);
    expect(faster).toContain('not a speed-up to expect');
    expect(latencyNote('wasm', t(1.0, 0.9, 1.1), t(4.0, 3.5, 4.5))).toMatch(/ran 4\.00x slower/);
  });
});
