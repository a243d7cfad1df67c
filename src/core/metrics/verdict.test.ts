import { describe, expect, it } from 'vitest';
import type { Metrics } from '../events';
import { returnVerdict } from './verdict';

const m = (top1: number, kl: number): Metrics => ({ top1, agreement: 0.5, kl, count: 60 });
const oneShot = m(0.4, 0.5);

describe('returnVerdict', () => {
  it('a kept checkpoint with a higher score beat the one-shot model and is the one returned', () => {
    const v = returnVerdict(oneShot, [{ step: 10, metrics: m(0.45, 0.6), best: true }, { step: 20, metrics: m(0.5, 0.4), best: true }]);
    expect(v).toMatchObject({ returned: 'trained', relation: 'beat', best: { step: 20 }, ended: false });
  });

  it('a tie is what a reader sees: equal to the 0.1 points shown, kept or not', () => {
    expect(returnVerdict(oneShot, [{ step: 5, metrics: m(0.4, 0.3), best: true }])).toMatchObject({ returned: 'trained', relation: 'tie', best: { step: 5 } });
    expect(returnVerdict(oneShot, [{ step: 5, metrics: m(0.4, 0.5), best: false }])).toMatchObject({ returned: 'one-shot', relation: 'tie', best: { step: 5 } });
    // 40.02% and 39.98% both read "40.0%"; 39.9% does not.
    expect(returnVerdict(oneShot, [{ step: 3, metrics: m(0.4002, 0.9), best: true }]).relation).toBe('tie');
    expect(returnVerdict(oneShot, [{ step: 3, metrics: m(0.3998, 0.1), best: false }]).relation).toBe('tie');
    expect(returnVerdict(oneShot, [{ step: 3, metrics: m(0.399, 0.1), best: false }]).relation).toBe('below');
  });

  it('follows the checkpoints the run kept, whatever its rule: a kept checkpoint can score below the one-shot model', () => {
    // A run that keeps the checkpoint closest to the dense outputs: step 2 scored less but was kept.
    const v = returnVerdict(oneShot, [{ step: 1, metrics: m(0.45, 0.7), best: false }, { step: 2, metrics: m(0.38, 0.3), best: true }]);
    expect(v).toMatchObject({ returned: 'trained', relation: 'below', best: { step: 2 } });
  });

  it('with no checkpoint kept, speaks of the highest-scoring one (the first to reach it)', () => {
    const v = returnVerdict(oneShot, [{ step: 1, metrics: m(0.3, 0.7), best: false }, { step: 2, metrics: m(0.35, 0.9), best: false }, { step: 3, metrics: m(0.35, 0.6), best: false }]);
    expect(v).toMatchObject({ returned: 'one-shot', relation: 'below', best: { step: 2 } });
  });

  it('before any validation check: the one-shot model, below, nothing to speak of', () => {
    expect(returnVerdict(oneShot, [])).toEqual({ returned: 'one-shot', relation: 'below', best: null, oneShot, ended: false });
  });

  it("an ended run's own word decides what was returned", () => {
    expect(returnVerdict(oneShot, [{ step: 5, metrics: m(0.4, 0.5), best: true }], 'one-shot')).toMatchObject({ returned: 'one-shot', relation: 'tie', ended: true });
  });

  it('judges unlabelled runs by agreement', () => {
    const a = (agreement: number, kl: number): Metrics => ({ agreement, kl, count: 1 });
    expect(returnVerdict(a(0, 0.944), [{ step: 1, metrics: a(0, 0.941), best: true }])).toMatchObject({ returned: 'trained', relation: 'tie' });
    expect(returnVerdict(a(0, 0.944), [{ step: 1, metrics: a(1, 2), best: false }])).toMatchObject({ returned: 'one-shot', relation: 'beat' });
  });
});
