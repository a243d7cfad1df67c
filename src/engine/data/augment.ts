import * as tf from '@tensorflow/tfjs';
import type { MixKind } from '../../core/options';
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

/**
 * Mixes a batch's images in pairs (a patient and consistent teacher, Beyer et al. 2022: the
 * teacher scores the same mixed view, so its outputs stay the targets): each image i is paired
 * with image perm(i) of a seeded permutation and, with a share lambda ~ U(0, 1) drawn per image,
 * 'mixup' blends them (lambda x_i + (1 - lambda) x_perm(i)) and 'cutmix' pastes a box of
 * x_perm(i) covering about 1 - lambda of the area into x_i. Rank-3 grayscale batches too.
 */
export function mixBatch(x: tf.Tensor, rng: Rng, kind: MixKind): tf.Tensor {
  const b = x.shape[0]!;
  if (kind === 'none' || b < 2) return x.clone();
  const perm = rng.shuffle([...Array(b).keys()]);
  const lam = Array.from({ length: b }, () => rng.next());
  return tf.tidy(() => {
    const other = tf.gather(x, tf.tensor1d(perm, 'int32'));
    const ones = new Array<number>(x.rank - 1).fill(1);
    if (kind === 'mixup') {
      const l = tf.tensor(lam, [b, ...ones]);
      return tf.add(tf.mul(x, l), tf.mul(other, tf.sub(1, l)));
    }
    const [h, w] = [x.shape[1]!, x.shape[2]!];
    const keep = new Float32Array(b * h * w).fill(1);
    for (let i = 0; i < b; i++) {
      const side = Math.sqrt(1 - lam[i]!);
      const bh = Math.round(h * side);
      const bw = Math.round(w * side);
      const y0 = rng.int(h - bh + 1);
      const x0 = rng.int(w - bw + 1);
      for (let yy = y0; yy < y0 + bh; yy++) keep.fill(0, i * h * w + yy * w + x0, i * h * w + yy * w + x0 + bw);
    }
    const m = tf.tensor(keep, x.rank === 4 ? [b, h, w, 1] : [b, h, w]);
    return tf.add(tf.mul(x, m), tf.mul(other, tf.sub(1, m)));
  });
}
