import { describe, expect, it } from 'vitest';
import { divergenceGap, divergenceOf, GAP_FLOOR } from './divergence';

const base = { step: 20, loss: -5, gap: 2, minGap: 1.5, factor: 20, after: 13, lr: 0.003, objective: 'kl-decay' as const };

describe('divergence', () => {
  it('judges the distillation objectives on the KL and the others on their loss', () => {
    expect(divergenceGap('kl-decay', -11.4, 3.2)).toBe(3.2);
    expect(divergenceGap('kl', 0.4, 0.5)).toBe(0.5);
    expect(divergenceGap('mse', 7, 0.5)).toBe(7);
    expect(divergenceGap('ce', 2.3, 9)).toBe(2.3);
  });

  it('does not call a base-decayed objective rising through zero a divergence when the KL is falling', () => {
    // ResNet-32 at 90%: the objective went from -11.4 to 0.777; the old rule (loss over 20x
    // max(min loss, 1e-6)) stopped training there.
    expect(divergenceOf({ ...base, step: 16, loss: 0.777, gap: 20, minGap: 18 })).toBeNull();
  });

  it('stops on a KL blow-up after the warm-up, naming the KL and the rate', () => {
    const m = divergenceOf({ ...base, gap: 31, minGap: 1.5 });
    expect(m).toMatch(/step 20: the KL to the dense model rose to 31\.0, over 20x its lowest 1\.50/);
    expect(m).toMatch(/now 0\.003/);
    expect(divergenceOf({ ...base, gap: 29, minGap: 1.5 })).toBeNull();
    expect(divergenceOf({ ...base, objective: 'mse', gap: 31 })).toMatch(/the loss rose to 31\.0/);
  });

  it('does not judge the warm-up, the first step, or ratios to a near-perfect fit', () => {
    expect(divergenceOf({ ...base, step: 13, gap: 100 })).toBeNull();
    expect(divergenceOf({ ...base, minGap: Infinity, gap: 100 })).toBeNull();
    // 0.3 is 30x a lowest of 0.01, but under 20x the floor.
    expect(divergenceOf({ ...base, minGap: 0.01, gap: 0.3 })).toBeNull();
    expect(divergenceOf({ ...base, minGap: 0.01, gap: 20 * GAP_FLOOR + 0.01 })).not.toBeNull();
  });

  it('always stops on a non-finite loss or KL, even in the warm-up', () => {
    expect(divergenceOf({ ...base, step: 1, loss: NaN })).toMatch(/step 1 \(loss NaN\)/);
    expect(divergenceOf({ ...base, step: 2, gap: Infinity })).not.toBeNull();
  });

  it('says the rate as people read it, and the advice once', () => {
    const m = divergenceOf({ ...base, step: 1, loss: NaN, lr: 0.0005689693714699657 })!;
    expect(m).toBe('Training diverged at step 1 (loss NaN); lr 0.00057 is too high for this model. Kept the best checkpoint; try a lower learning rate.');
    expect(divergenceOf({ ...base, gap: 31, lr: 0.0005689693714699657 })).toMatch(/try a lower learning rate \(now 0\.00057\)\.$/);
  });
});
