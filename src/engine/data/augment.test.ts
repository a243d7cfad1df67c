import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { augmentBatch, mixBatch, PAD } from './augment';

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

describe('mixBatch', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  // Image i is the constant i + 1 in every pixel and channel, so a mixed pixel tells its sources.
  const constants = (b: number, shape: number[]) => tf.concat(Array.from({ length: b }, (_, i) => tf.fill([1, ...shape], i + 1)));

  it('mixup: every image is one blend of itself and one other image of the batch, seeded', () => {
    const b = 6;
    const x = constants(b, [4, 4, 3]);
    const out = mixBatch(x, new Rng(5), 'mixup').arraySync() as number[][][][];
    const again = mixBatch(x, new Rng(5), 'mixup').arraySync() as number[][][][];
    expect(again).toEqual(out);
    let blended = 0;
    for (let i = 0; i < b; i++) {
      const v = out[i]![0]![0]![0]!;
      // The same value in every pixel and channel: one lambda per image.
      for (const row of out[i]!) for (const px of row) for (const c of px) expect(c).toBeCloseTo(v, 5);
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThanOrEqual(b);
      if (Math.abs(v - (i + 1)) > 1e-3) blended++;
    }
    expect(blended).toBeGreaterThan(0);
  });

  it('cutmix: each image keeps its own pixels outside one box and holds another image inside it (grayscale rank 3 too)', () => {
    const b = 5;
    const [h, w] = [8, 8];
    const x = constants(b, [h, w]);
    const out = mixBatch(x, new Rng(2), 'cutmix').arraySync() as number[][][];
    let pasted = 0;
    for (let i = 0; i < b; i++) {
      const foreign = new Set<number>();
      let minY = h, maxY = -1, minX = w, maxX = -1, count = 0;
      for (let y = 0; y < h; y++) {
        for (let xx = 0; xx < w; xx++) {
          const v = out[i]![y]![xx]!;
          expect(Number.isInteger(Math.round(v)) && Math.abs(v - Math.round(v)) < 1e-6).toBe(true);
          if (Math.round(v) !== i + 1) {
            foreign.add(Math.round(v));
            count++;
            [minY, maxY, minX, maxX] = [Math.min(minY, y), Math.max(maxY, y), Math.min(minX, xx), Math.max(maxX, xx)];
          }
        }
      }
      // One partner at most, pasted as one filled rectangle.
      expect(foreign.size).toBeLessThanOrEqual(1);
      if (count > 0) {
        pasted++;
        expect(count).toBe((maxY - minY + 1) * (maxX - minX + 1));
      }
    }
    expect(pasted).toBeGreaterThan(0);
  });

  it("'none' and single-image batches come back unchanged", () => {
    const x = constants(3, [2, 2, 1]);
    expect(mixBatch(x, new Rng(1), 'none').arraySync()).toEqual(x.arraySync());
    const one = constants(1, [2, 2, 1]);
    expect(mixBatch(one, new Rng(1), 'mixup').arraySync()).toEqual(one.arraySync());
  });
});
