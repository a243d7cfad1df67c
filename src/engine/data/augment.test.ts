import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { augmentBatch, PAD } from './augment';

describe('augmentBatch', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('small images: a window of the image padded by 4 fill pixels, maybe mirrored, copied to float rounding', () => {
    const [b, h, w, c] = [6, 8, 8, 2];
    const values = Float32Array.from({ length: b * h * w * c }, (_, i) => (i % 97) / 97 + 0.5);
    const x = tf.tensor4d(values, [b, h, w, c]);
    const fill = [-1, -3];
    const out = augmentBatch(x, new Rng(3), fill);
    const got = out.arraySync() as number[][][][];
    const src = x.arraySync() as number[][][][];
    const padded = (i: number, y: number, xx: number, ch: number) => {
      const yy = y - PAD;
      const xs = xx - PAD;
      return yy >= 0 && yy < h && xs >= 0 && xs < w ? src[i]![yy]![xs]![ch]! : fill[ch]!;
    };
    for (let i = 0; i < b; i++) {
      // Some offset (dy, dx) in 0..8 and flip make the output an exact window of the padded image.
      let found = false;
      for (let dy = 0; dy <= 2 * PAD && !found; dy++) {
        for (let dx = 0; dx <= 2 * PAD && !found; dx++) {
          for (const flip of [false, true]) {
            let same = true;
            for (let y = 0; y < h && same; y++) {
              for (let xx = 0; xx < w && same; xx++) {
                for (let ch = 0; ch < c && same; ch++) {
                  const want = padded(i, dy + y, dx + (flip ? w - 1 - xx : xx), ch);
                  if (Math.abs(got[i]![y]![xx]![ch]! - want) > 1e-5) same = false;
                }
              }
            }
            if (same) found = true;
          }
        }
      }
      expect(found).toBe(true);
    }
    tf.dispose([x, out]);
  });

  it('large images: a resized crop of the same shape, inside the input range', () => {
    const x = tf.randomUniform([2, 80, 80, 3], -1, 1, 'float32', 7);
    const out = augmentBatch(x, new Rng(1), [-1]);
    expect(out.shape).toEqual([2, 80, 80, 3]);
    const [lo, hi] = [out.min().dataSync()[0]!, out.max().dataSync()[0]!];
    expect(lo).toBeGreaterThanOrEqual(-1 - 1e-6);
    expect(hi).toBeLessThanOrEqual(1 + 1e-6);
    tf.dispose([x, out]);
  });
});
