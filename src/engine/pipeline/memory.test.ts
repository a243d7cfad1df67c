import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../core/events';
import { opts, session } from './pipeline.test-helpers';

type MemoryEvent = Extract<ProgressEvent, { type: 'memory' }>;

describe('memory during DST', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('reports tensors and bytes every few steps, flat after warm-up and back to the start after the run', async () => {
    const s = await session();
    const before = tf.memory();
    const events: MemoryEvent[] = [];
    // 26 calibration images in batches of 4: 7 steps an epoch, 105 steps; one evaluation, at the end.
    const options = { ...opts, distribution: 'uniform' as const, epochs: 15, batchSize: 4, evalsPerRun: 1 };
    const r = await s.run(options, (e) => e.type === 'memory' && events.push(e), new AbortController().signal);
    expect(r.report.calibrationImages).toBe(26);
    expect(events.map((e) => e.step)).toEqual([1, ...Array.from({ length: 21 }, (_, i) => (i + 1) * 5)]);
    const settled = events.filter((e) => e.step >= 5);
    expect(new Set(settled.map((e) => e.numTensors)).size).toBe(1);
    expect(new Set(settled.map((e) => e.numBytes)).size).toBe(1);
    // Training holds more than the idle session (optimiser state, masks, teacher), and frees it all.
    expect(settled[0]!.numTensors).toBeGreaterThan(before.numTensors);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    s.dispose();
  });
});
