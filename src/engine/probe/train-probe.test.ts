import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupNodeBackend } from '../../node/backend';
import { probeTraining, settleBy } from './train-probe';

/** A smaller net for the tests of the budget logic, which do not need real figures. */
const tiny = { batch: 2, inputShape: [8, 8, 3] as [number, number, number] };

describe('probeTraining', () => {
  beforeAll(async () => {
    await setupNodeBackend('cpu');
  });

  it('times a few training steps, trains, and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    // A generous budget: cpu is slow, and this test is about the figures, not the cut-off.
    const result = await probeTraining({ steps: 2, budgetMs: 60_000 });
    expect(tf.getBackend()).toBe('cpu');
    expect(result.trained).toBe(true);
    expect(result.problem).toBeNull();
    expect(result.steps).toBe(2);
    expect(result.msPerStep).toBeGreaterThan(0);
    expect(result.warmupMs).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops after the warm-up when it runs past the budget, and still cleans up', async () => {
    const before = tf.memory().numTensors;
    // A clock that moves 500 ms per reading: the forward pass (three readings) seems to take 1000 ms.
    let t = 0;
    const result = await probeTraining({ ...tiny, budgetMs: 400, now: () => (t += 500) });
    expect(result).toMatchObject({ msPerStep: null, warmupMs: 1000, steps: 0, problem: null });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cuts the timed steps short once they pass the budget', async () => {
    let t = 0;
    // 200 ms per clock reading: an 800 ms warm-up (forward, then a step, three readings each),
    // then 200 ms timed steps until they add up to the 1000 ms budget, so 5 of the 10.
    const result = await probeTraining({ ...tiny, steps: 10, budgetMs: 1000, now: () => (t += 200) });
    expect(result.warmupMs).toBe(800);
    expect(result.steps).toBe(5);
    expect(result.trained).toBe(true);
  });

  it('settleBy gives up on a read that does not come in time, and passes one that does', async () => {
    expect(await settleBy(new Promise<number>(() => undefined), 20)).toBeNull();
    expect(await settleBy(Promise.resolve(7), 0)).toBe(7);
    // A read that fails after the deadline is not an unhandled rejection.
    expect(await settleBy(new Promise((_, reject) => setTimeout(() => reject(new Error('device lost')), 40)), 5)).toBeNull();
    await new Promise((r) => setTimeout(r, 60));
  });
});
