import { describe, expect, it } from 'vitest';
import { applyEvents, idleRun, resumeFrom } from './run-state';

describe('resumeFrom', () => {
  it('keeps the history up to the checkpoint, drops what came after and the final result', () => {
    let run = applyEvents({ ...idleRun, status: 'running' }, [
      { type: 'metrics', which: 'dense', metrics: { agreement: 1, kl: 0, count: 10, top1: 0.8 } },
      { type: 'metrics', which: 'oneShot', metrics: { agreement: 0.5, kl: 1, count: 10, top1: 0.4 } },
    ]);
    for (let step = 1; step <= 12; step++) {
      run = applyEvents(run, [
        { type: 'train-step', step, totalSteps: 20, epoch: 0, loss: 1 / step, kl: 2 / step, tau: 2, lr: 0.01, msPerStep: 5 },
        ...(step % 4 === 0 ? [{ type: 'eval' as const, step, metrics: { agreement: 0.6, kl: 0.5, count: 10 }, best: true }] : []),
        ...(step % 3 === 0 ? [{ type: 'churn' as const, step, perLayer: [0.1], mean: 0.1 }] : []),
      ]);
    }
    run = { ...applyEvents(run, [{ type: 'metrics', which: 'final', metrics: { agreement: 0.7, kl: 0.3, count: 10 } }]), status: 'interrupted', error: 'crash' };
    const next = resumeFrom(run, 8);
    expect(next.status).toBe('running');
    expect(next.error).toBeNull();
    expect(next.train.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(next.evals.map((p) => p.step)).toEqual([4, 8]);
    expect(next.churn.map((p) => p.step)).toEqual([3, 6]);
    expect(next.metrics.final).toBeUndefined();
    expect(next.metrics.dense?.top1).toBe(0.8);
    expect(next.metrics.oneShot?.top1).toBe(0.4);
  });
});
