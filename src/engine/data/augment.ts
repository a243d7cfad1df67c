import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';

/** Smallest area fraction a random resized crop keeps. */
const MIN_AREA = 0.5;
/** Images whose longer side is at most this get the padded crop (the CIFAR convention). */
export const PAD_CROP_MAX_SIDE = 64;
/** Pixels of padding on each side for the padded crop. */
export const PAD = 4;

/**
 * Light augmentation for calibration batches, suited to the image size: small images (CIFAR's
 * 32x32) get a random crop of the image padded by 4 black pixels on each side, large photos a
 * random resized crop (area 50-100%, aspect 3/4-4/3); both get a horizontal flip with
 * probability 1/2. `fill` is a black pixel after preprocessing (one value per channel).
 * Rank-3 grayscale batches ([b, h, w]) are handled too.
 */
export function augmentBatch(x: tf.Tensor, rng: Rng, fill: number[] = [0]): tf.Tensor {
  return tf.tidy(() => {
    const squeeze = x.rank === 3;
    const x4 = (squeeze ? tf.expandDims(x, 3) : x) as tf.Tensor4D;
    const [b, h, w, c] = x4.shape;
    const small = Math.max(h, w) <= PAD_CROP_MAX_SIDE;
    const boxes: number[][] = [];
    let source = x4;
    if (small) {
      const f = tf.tensor1d(fill.length === c ? fill : new Array<number>(c).fill(fill[0] ?? 0));
      source = tf.add(tf.pad(tf.sub(x4, f), [[0, 0], [PAD, PAD], [PAD, PAD], [0, 0]]), f) as tf.Tensor4D;
      // Pixel-aligned boxes: bilinear sampling lands on whole pixels (copies to float rounding).
      const hy = h + 2 * PAD - 1;
      const wx = w + 2 * PAD - 1;
      for (let i = 0; i < b; i++) {
        const dy = rng.int(2 * PAD + 1);
        const dx = rng.int(2 * PAD + 1);
        const flip = rng.next() < 0.5;
        const [y1, y2, x1, x2] = [dy / hy, (dy + h - 1) / hy, dx / wx, (dx + w - 1) / wx];
        boxes.push(flip ? [y1, x2, y2, x1] : [y1, x1, y2, x2]);
      }
    } else {
      for (let i = 0; i < b; i++) {
        const area = MIN_AREA + (1 - MIN_AREA) * rng.next();
        const ratio = Math.exp(Math.log(3 / 4) + (Math.log(4 / 3) - Math.log(3 / 4)) * rng.next());
        const cw = Math.min(1, Math.sqrt(area * ratio));
        const ch = Math.min(1, Math.sqrt(area / ratio));
        const y1 = rng.next() * (1 - ch);
        const x1 = rng.next() * (1 - cw);
        const flip = rng.next() < 0.5;
        // A crop box with x1 > x2 samples mirrored.
        boxes.push(flip ? [y1, x1 + cw, y1 + ch, x1] : [y1, x1, y1 + ch, x1 + cw]);
      }
    }
    const out = tf.image.cropAndResize(source, tf.tensor2d(boxes, [b, 4]), tf.range(0, b, 1, 'int32') as tf.Tensor1D, [h, w], 'bilinear');
    return squeeze ? tf.squeeze(out, [3]) : out;
  });
}
