/**
 * A budget's deadline that cannot hold the planned schedule at the pace training goes: the cosine follows the time
 * left, so training ends at the deadline with its learning rate decayed to zero and its last step scored, instead of
 * being cut off with the rate still high. The steps are slowed on purpose so the pace is known.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { train } from './dst.test-helpers';

describe('training against a deadline', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('runs the whole planned schedule when it fits', async () => {
    const { r, steps, evals } = await train(0, 600_000);
    expect(r.steps).toBe(48);
    expect(r.stopped).toBeNull();
    expect(steps.at(-1)!.totalSteps).toBe(48);
    expect(evals).toEqual([16, 32, 48]);
  });

  it('follows the time left when the deadline cannot hold the plan: the rate reaches zero and the last step is scored', async () => {
    // 48 planned steps at 60 ms or more each (about 3 s) against a 1.5 s deadline.
    const { r, steps, evals, seconds } = await train(60, 1500);
    expect(r.steps).toBeLessThan(48);
    expect(r.steps).toBeGreaterThan(5);
    expect(r.stopped).toBe(`Stopped at step ${r.steps} of 48 to keep to the time budget; the learning rate followed the time left, so it had decayed to zero by then, and this last step was scored.`);
    const last = steps.at(-1)!;
    expect(last.step).toBe(r.steps);
    // The last steps ran at a rate well under a tenth of the peak, falling all along.
    expect(last.lr).toBeLessThan(0.1 * r.lr);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.lr).toBeLessThanOrEqual(steps[i - 1]!.lr);
    expect(evals.at(-1)).toBe(r.steps);
    // It ended at the deadline, one validation check past it at most.
    expect(seconds).toBeLessThan(1.5 + 1.5);
  });
});
