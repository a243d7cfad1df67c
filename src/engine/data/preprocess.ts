/**
 * From decoded pixels to model input: resize + centre crop to the model's input size, channel
 * conversion, and the normalisation presets (x = pixel * scale[c] + offset[c]).
 */
import * as tf from '@tensorflow/tfjs';
import type { Preprocess } from '../../core/options';
import { InputError } from '../errors';
import { resizeCropRgba, rgbaToChannels } from './resize';
import type { Dataset, DecodedImage } from './types';

export { resizeCropRgba, limitSide, rgbaToChannels } from './resize';

/** Input image size of a model. */
export interface InputGeometry {
  height: number;
  width: number;
  /** 1 (grayscale) or 3 (RGB). */
  channels: number;
  /** True when the model takes [batch, h, w] without a channel axis. */
  squeezeChannel: boolean;
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/** The image size `model` expects; InputError (model.json) for inputs that are not images. */
export function inputGeometry(model: tf.LayersModel): InputGeometry {
  const shape = model.inputs[0]?.shape.slice(1) ?? [];
  const fixed = shape.every((d) => typeof d === 'number' && d > 0);
  const [h, w, c] = shape as number[];
  if (fixed && shape.length === 3 && (c === 1 || c === 3)) return { height: h!, width: w!, channels: c, squeezeChannel: false };
  if (fixed && shape.length === 2) return { height: h!, width: w!, channels: 1, squeezeChannel: true };
  throw new InputError(
    'model.json',
    `model.json: the input shape is [${shape.map((d) => d ?? 'None').join(', ')}], not an image the studio can feed. ` +
      'Supported inputs: [height, width, 3] (RGB), [height, width, 1] or [height, width] (grayscale), with fixed sizes. ' +
      'Export the model with a fixed input size (for a flat input, start the model with a Reshape to [h, w]).',
  );
}

/** Per-channel scale and offset of a preset: x = pixel * scale[c] + offset[c]. */
export function normalizeParams(preset: Preprocess, channels: number): { scale: number[]; offset: number[] } {
  const per = (f: (c: number) => [number, number]) => {
    const pairs = Array.from({ length: channels }, (_, c) => f(c));
    return { scale: pairs.map((p) => p[0]), offset: pairs.map((p) => p[1]) };
  };
  switch (preset) {
    case 'unit':
      return per(() => [1 / 255, 0]);
    case 'symmetric':
      return per(() => [1 / 127.5, -1]);
    case 'raw':
      return per(() => [1, 0]);
    case 'imagenet': {
      // Grayscale input: the mean of the RGB statistics.
      const avg = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
      return per((c) => {
        const mean = channels === 3 ? IMAGENET_MEAN[c]! : avg(IMAGENET_MEAN);
        const std = channels === 3 ? IMAGENET_STD[c]! : avg(IMAGENET_STD);
        return [1 / (255 * std), -mean / std];
      });
    }
  }
}

/** Resizes + centre-crops one decoded image to the geometry; `channels` bytes per pixel. */
export function fitImage(img: DecodedImage, g: InputGeometry): Uint8Array {
  return rgbaToChannels(resizeCropRgba(img, g.height, g.width), g.channels);
}

/** Normalised float32 batch [b, h, w, c] (or [b, h, w] when squeezed) of the images at `indices`. */
export function toTensor(ds: Dataset, indices: number[], preset: Preprocess): tf.Tensor {
  const { height, width, channels } = ds;
  const size = height * width * channels;
  const { scale, offset } = normalizeParams(preset, channels);
  const data = new Float32Array(indices.length * size);
  indices.forEach((idx, b) => {
    if (idx < 0 || idx >= ds.count) throw new RangeError(`image index ${idx} is outside 0..${ds.count - 1}`);
    const src = idx * size;
    const dst = b * size;
    for (let i = 0; i < size; i++) {
      const c = i % channels;
      data[dst + i] = ds.pixels[src + i]! * scale[c]! + offset[c]!;
    }
  });
  const shape = ds.squeezeChannel ? [indices.length, height, width] : [indices.length, height, width, channels];
  return tf.tensor(data, shape, 'float32');
}

/** RGBA copy of stored image `idx` (for thumbnails). */
export function storedToRgba(ds: Pick<Dataset, 'pixels' | 'height' | 'width' | 'channels'>, idx: number): Uint8ClampedArray {
  const n = ds.height * ds.width;
  const out = new Uint8ClampedArray(n * 4);
  const base = idx * n * ds.channels;
  for (let i = 0; i < n; i++) {
    const p = base + i * ds.channels;
    const r = ds.pixels[p]!;
    out[i * 4] = r;
    out[i * 4 + 1] = ds.channels === 3 ? ds.pixels[p + 1]! : r;
    out[i * 4 + 2] = ds.channels === 3 ? ds.pixels[p + 2]! : r;
    out[i * 4 + 3] = 255;
  }
  return out;
}
