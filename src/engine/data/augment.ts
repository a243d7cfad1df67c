import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';

/** Smallest area fraction a random resized crop keeps. */
const MIN_AREA = 0.5;

/**
 * Light augmentation for calibration batches: a random resized crop (area 50-100%, aspect
 * 3/4-4/3) back to the input size, and a horizontal flip with probability 1/2 (a crop box with
 * x1 > x2 samples mirrored). Rank-3 grayscale batches ([b, h, w]) are handled too.
 */
export function augmentBatch(x: tf.Tensor, rng: Rng): tf.Tensor {
  return tf.tidy(() => {
    const squeeze = x.rank === 3;
    const x4 = (squeeze ? tf.expandDims(x, 3) : x) as tf.Tensor4D;
    const [b, h, w] = x4.shape;
    const boxes: number[][] = [];
    for (let i = 0; i < b; i++) {
      const area = MIN_AREA + (1 - MIN_AREA) * rng.next();
      const ratio = Math.exp(Math.log(3 / 4) + (Math.log(4 / 3) - Math.log(3 / 4)) * rng.next());
      const cw = Math.min(1, Math.sqrt(area * ratio));
      const ch = Math.min(1, Math.sqrt(area / ratio));
      const y1 = rng.next() * (1 - ch);
      const x1 = rng.next() * (1 - cw);
      const flip = rng.next() < 0.5;
      boxes.push(flip ? [y1, x1 + cw, y1 + ch, x1] : [y1, x1, y1 + ch, x1 + cw]);
    }
    const out = tf.image.cropAndResize(x4, tf.tensor2d(boxes, [b, 4]), tf.range(0, b, 1, 'int32') as tf.Tensor1D, [h, w], 'bilinear');
    return squeeze ? tf.squeeze(out, [3]) : out;
  });
}
