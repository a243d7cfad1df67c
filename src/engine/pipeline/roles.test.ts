import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../core/events';
import { images, opts, session } from './pipeline.test-helpers';

/** Test images: the same classes as the calibration images, other noise (another seed). */
const testImages = (perClass: number, seed: number) => images(perClass, seed);

describe('image roles: calibration trains, validation chooses, test is scored once', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('scores test images for dense, one-shot and returned models, and they never change the returned model', async () => {
    const s = await session();
    const signal = new AbortController().signal;
    const plain = await s.run(opts, () => {}, signal);
    expect(plain.report.test).toBeNull();
    expect(plain.report.testImages).toBe(0);

    await s.loadTestImages(testImages(6, 11));
    const events: ProgressEvent[] = [];
    const a = await s.run(opts, (e) => events.push(e), signal);
    expect(a.report.testImages).toBe(24);
    const t = a.report.test!;
    for (const m of [t.dense, t.oneShot, t.final]) expect(m.count).toBe(24);
    expect(t.dense.agreement).toBe(1);
    expect(events.filter((e) => e.type === 'test-metrics')).toHaveLength(1);
    // Validation scores are the same as without test images; so is every exported byte.
    expect(a.report.final).toEqual(plain.report.final);
    expect(new Uint8Array(a.weights)).toEqual(new Uint8Array(plain.weights));

    await s.loadTestImages(testImages(3, 12));
    const b = await s.run(opts, () => {}, signal);
    expect(b.report.testImages).toBe(12);
    expect(new Uint8Array(b.weights)).toEqual(new Uint8Array(a.weights));
    s.dispose();
  });

  it('stops training after `earlyStopPatience` validation checks without a gain, and says so', async () => {
    const s = await session();
    const events: ProgressEvent[] = [];
    // A learning rate this small leaves the weights as they are, so no check can beat one-shot.
    const r = await s.run({ ...opts, lr: 1e-20, epochs: 6, evalsPerRun: 6, earlyStopPatience: 2 }, (e) => events.push(e), new AbortController().signal);
    const evals = events.filter((e) => e.type === 'eval');
    expect(evals).toHaveLength(2);
    expect(r.report.returned).toBe('one-shot');
    expect(r.report.stoppedEarly).toMatch(/^Stopped early at step \d+ of \d+: the last 2 validation checks/);
    const steps = events.filter((e) => e.type === 'train-step').length;
    expect(steps).toBeLessThan(6 * Math.ceil(r.report.calibrationImages / opts.batchSize));
    s.dispose();
  });

  it('plans a time budget from measured costs, says the plan first, and keeps a tiny budget short', async () => {
    const s = await session();
    const events: ProgressEvent[] = [];
    const t0 = performance.now();
    const r = await s.run({ ...opts, budgetMinutes: 0.05, epochs: 100, evalsPerRun: 10 }, (e) => events.push(e), new AbortController().signal);
    const plan = events.find((e) => e.type === 'plan');
    expect(plan && plan.type === 'plan' && plan.text).toMatch(/search \d+ x \d+, \d+ epochs?, \d+ validation checks, about/);
    // The plan comes before the search starts.
    expect(events.indexOf(plan!)).toBeLessThan(events.findIndex((e) => e.type === 'search-generation'));
    expect(r.report.budget!.budgetSeconds).toBe(3);
    expect(r.report.settings.epochs).toBeLessThan(100);
    expect(r.report.settings.budgetMinutes).toBe(0.05);
    // Cut short (a 3-second budget cannot hold 100 epochs), and the report says which cut applied.
    expect(r.report.settings.epochs < 100 || r.report.stoppedEarly !== null).toBe(true);
    expect((performance.now() - t0) / 1000).toBeLessThan(60);
    s.dispose();
  });
});
