/**
 * An automatic learning rate that diverges backs off: training starts again from where it began
 * at a tenth of the rate, twice at most, with the steps counting on; a rate the user set is kept
 * and the run stops at the divergence. A divergence factor of 0.5 (this CNN's KL, about 0.03, is over half the floor of 0.05) makes every attempt
 * diverge right after its warm-up, so the attempts can be counted.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTO_LR_RESTARTS } from './dst-stage';
import { train } from './dst.test-helpers';

describe('automatic learning rate after a divergence', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('restarts at a tenth of the rate, at most twice, with the steps counting on', async () => {
    const { r, steps, events } = await train(0, 600_000, { lr: 0, divergenceFactor: 0.5 });
    const restarts = events.flatMap((e) => (e.type === 'warning' && /starts again/.test(e.message) ? [e.message] : []));
    expect(restarts).toHaveLength(AUTO_LR_RESTARTS);
    expect(restarts[0]).toMatch(/^Training diverged at step \d+: the KL to the dense model rose to .* Training starts again from the beginning at the automatic rate's tenth, lr 0\.0010 /);
    expect(restarts[1]).toMatch(/lr 0\.00010 /);
    // The third attempt diverged too: the run ends there, with its rate and the divergence named.
    expect(r.lr).toBeCloseTo(1e-4, 10);
    expect(r.divergence).toMatch(/now 0\.0001\)/);
    // Steps count on across attempts, and each attempt warms up again from a low rate.
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.step).toBe(steps[i - 1]!.step + 1);
    expect(r.steps).toBe(steps.length);
    const peaks = [0.01, 0.001, 0.0001];
    let attempt = 0;
    for (let i = 1; i < steps.length; i++) {
      if (steps[i]!.lr < steps[i - 1]!.lr / 5) attempt++;
      expect(steps[i]!.lr).toBeLessThanOrEqual(peaks[attempt]! * (1 + 1e-9));
    }
    expect(attempt).toBe(2);
  });

  it('keeps a rate the user set: the run stops at the first divergence', async () => {
    const { r, events } = await train(0, 600_000, { lr: 0.01, divergenceFactor: 0.5 });
    expect(events.some((e) => e.type === 'warning' && /starts again/.test(e.message))).toBe(false);
    expect(r.divergence).toMatch(/^Training diverged at step \d+:/);
    expect(r.lr).toBe(0.01);
  });
});
