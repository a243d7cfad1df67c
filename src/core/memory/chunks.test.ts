import { describe, expect, it } from 'vitest';
import { describeChunks, planChunks } from './chunks';

const MB = 2 ** 20;

describe('planChunks', () => {
  it('keeps a batch that fits whole', () => {
    expect(planChunks(32, 10 * MB, 512 * MB)).toEqual({ chunk: 32, passes: 1, bytes: 320 * MB });
    expect(planChunks(64, 10 * MB, 0)).toEqual({ chunk: 64, passes: 1, bytes: 640 * MB });
  });

  it('splits into the fewest equal chunks under the limit', () => {
    // 36 MB an image under 512 MB: 14 fit, so 64 goes in 5 passes of 13.
    const p = planChunks(64, 36 * MB, 512 * MB);
    expect(p).toEqual({ chunk: 13, passes: 5, bytes: 13 * 36 * MB });
    expect(p.bytes).toBeLessThanOrEqual(512 * MB);
    expect(planChunks(64, 16 * MB, 512 * MB)).toEqual({ chunk: 32, passes: 2, bytes: 512 * MB });
  });

  it('trains one image at a time when even one is over the limit', () => {
    expect(planChunks(8, 600 * MB, 512 * MB)).toEqual({ chunk: 1, passes: 8, bytes: 600 * MB });
  });

  it('says what it did', () => {
    expect(describeChunks(64, planChunks(64, 36 * MB, 512 * MB), 512)).toBe(
      "Training batch 64 would need about 2304 MB of activations per step, over the 512 MB step memory: each step runs 5 chunks of up to 13 images (about 468 MB each) and sums their gradients. The update is the batch's; BatchNorm statistics are per chunk.",
    );
  });
});
