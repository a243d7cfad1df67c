/**
 * A budget's deadline that cannot hold the planned schedule at the pace training goes: the cosine follows the time
 * left, so training ends at the deadline with its learning rate decayed to zero and its last step scored, instead of
 * being cut off with the rate still high. The steps are slowed on purpose so the pace is known.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { replanEpochs, REPLAN_MARGIN } from './dst-stage';
import { train } from './dst.test-helpers';

describe('training against a deadline', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('replanEpochs: as many epochs as fit the time left, within the plan\'s reach, never fewer than planned', () => {
    // 10 s an epoch, 300 s left, 10 checks of 2 s: 1 + floor((0.9 * 300 - 20) / 10) = 26.
    expect(replanEpochs(6, 100, 10_000, 300_000, 10, 2_000)).toBe(1 + Math.floor((REPLAN_MARGIN * 300_000 - 20_000) / 10_000));
    expect(replanEpochs(6, 20, 10_000, 300_000, 10, 2_000)).toBe(20);
    // Slower than planned: the plan stays (the rate follows the time left instead).
    expect(replanEpochs(6, 100, 100_000, 300_000, 10, 2_000)).toBe(6);
    // No reach past the plan, no deadline: the plan stays.
    expect(replanEpochs(6, 6, 10_000, 300_000, 10, 2_000)).toBe(6);
    expect(replanEpochs(6, 100, 10_000, Infinity, 10, 2_000)).toBe(6);
  });

  it('re-plans after the first epoch when steps go faster than planned, up to the plan\'s reach', async () => {
    // 6 planned epochs of 8 quick steps, a minute to go and a reach of 12 epochs: 12 fit.
    const { r, steps, events, seconds } = await train(0, 60_000, {}, 12);
    const said = events.flatMap((e) => (e.type === 'log' && e.message.startsWith('Training re-planned') ? [e.message] : []));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('12 epochs instead of 6');
    expect(r.epochs).toBe(12);
    expect(r.steps).toBe(96);
    expect(steps.at(-1)!.totalSteps).toBe(96);
    expect(r.stopped).toBeNull();
    expect(seconds).toBeLessThan(60);
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
