import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import { inputGeometry, normalizeParams, toTensor } from './preprocess';
import { boxShrink, limitSide, resizeCropRgba, rgbaToChannels } from './resize';
import type { Dataset } from './types';

/** RGBA image whose red channel is `values` (row-major), green 0, blue 7, alpha 255. */
function redImage(width: number, height: number, values: number[]) {
  const rgba = new Uint8Array(width * height * 4);
  values.forEach((v, i) => rgba.set([v, 0, 7, 255], i * 4));
  return { width, height, rgba };
}
const reds = (rgba: Uint8Array) => Array.from(rgba.filter((_, i) => i % 4 === 0));

describe('normalizeParams', () => {
  it('gives the four presets', () => {
    expect(normalizeParams('unit', 3)).toEqual({ scale: [1 / 255, 1 / 255, 1 / 255], offset: [0, 0, 0] });
    expect(normalizeParams('symmetric', 1)).toEqual({ scale: [1 / 127.5], offset: [-1] });
    expect(normalizeParams('raw', 3)).toEqual({ scale: [1, 1, 1], offset: [0, 0, 0] });
    const im = normalizeParams('imagenet', 3);
    // x = (p/255 - mean)/std: p = 255 on the red channel gives (1 - 0.485)/0.229.
    expect(255 * im.scale[0]! + im.offset[0]!).toBeCloseTo((1 - 0.485) / 0.229, 10);
    expect(0 * im.scale[2]! + im.offset[2]!).toBeCloseTo(-0.406 / 0.225, 10);
    const g = normalizeParams('imagenet', 1);
    expect(g.offset[0]!).toBeCloseTo(-0.449 / (0.678 / 3), 10);
  });
});

describe('resize', () => {
  it('centre-crops without scaling when the short side already fits', () => {
    const img = redImage(4, 2, [10, 20, 30, 40, 50, 60, 70, 80]);
    expect(reds(resizeCropRgba(img, 2, 2))).toEqual([20, 30, 60, 70]);
  });

  it('upsamples bilinearly with half-pixel centres', () => {
    const img = redImage(2, 1, [0, 100]);
    // Short side 1 -> 4: the 2x1 image becomes 8x4 and the centre 4 columns are kept.
    const out = resizeCropRgba(img, 4, 4);
    // Columns 2..5 of 8 sample x = (c + 0.5) / 4 - 0.5 = 0.125, 0.375, 0.625, 0.875.
    expect(reds(out).slice(0, 4)).toEqual([13, 38, 63, 88]);
    expect(Array.from(out.slice(0, 4))).toEqual([13, 0, 7, 255]);
  });

  it('box-filters large downscales instead of aliasing', () => {
    const checker = Array.from({ length: 64 }, (_, i) => ((i % 8) + Math.floor(i / 8)) % 2 === 0 ? 0 : 255);
    expect(reds(resizeCropRgba(redImage(8, 8, checker), 2, 2))).toEqual([128, 128, 128, 128]);
    expect(reds(boxShrink(redImage(4, 2, [0, 4, 8, 12, 16, 20, 24, 28]), 2).rgba as Uint8Array)).toEqual([10, 18]);
  });

  it('limits the longest side keeping the aspect ratio', () => {
    const big = redImage(300, 100, new Array(30000).fill(9));
    const small = limitSide(big, 60);
    expect([small.width, small.height]).toEqual([60, 20]);
    expect(reds(small.rgba as Uint8Array).every((v) => v === 9)).toBe(true);
    expect(limitSide(big, 300)).toBe(big);
  });

  it('converts to luma or RGB', () => {
    const rgba = new Uint8Array([200, 100, 50, 255, 0, 0, 255, 0]);
    expect(Array.from(rgbaToChannels(rgba, 1))).toEqual([Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50), Math.round(0.114 * 255)]);
    expect(Array.from(rgbaToChannels(rgba, 3))).toEqual([200, 100, 50, 0, 0, 255]);
  });
});

describe('toTensor and inputGeometry', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const ds = (squeeze: boolean, channels: number): Dataset => ({
    height: 1,
    width: 2,
    channels,
    squeezeChannel: squeeze,
    pixels: Uint8Array.from({ length: 2 * 2 * channels }, (_, i) => i * 20),
    count: 2,
    labels: null,
    paths: ['a', 'b'],
    classNames: null,
  });

  it('normalises the selected images in order', () => {
    const before = tf.memory().numTensors;
    const t = toTensor(ds(false, 3), [1, 0], 'symmetric');
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(t.shape).toEqual([2, 1, 2, 3]);
    const v = Array.from(t.dataSync());
    expect(v[0]).toBeCloseTo(120 / 127.5 - 1, 6);
    expect(v[6]).toBeCloseTo(-1, 6);
    expect(v[11]).toBeCloseTo(100 / 127.5 - 1, 6);
    const g = toTensor(ds(true, 1), [0], 'unit');
    expect(g.shape).toEqual([1, 1, 2]);
    expect(Array.from(g.dataSync())).toEqual([0, 20 / 255].map(Math.fround));
    expect(() => toTensor(ds(false, 3), [2], 'raw')).toThrow(/image index 2 is outside 0..1/);
    tf.dispose([t, g]);
  });

  it('reads the input geometry of image models and refuses others', () => {
    const seq = (inputShape: number[]) => tf.sequential({ layers: [tf.layers.flatten({ inputShape }), tf.layers.dense({ units: 2 })] });
    expect(inputGeometry(seq([224, 224, 3]))).toEqual({ height: 224, width: 224, channels: 3, squeezeChannel: false });
    expect(inputGeometry(seq([28, 28]))).toEqual({ height: 28, width: 28, channels: 1, squeezeChannel: true });
    expect(inputGeometry(seq([32, 16, 1]))).toEqual({ height: 32, width: 16, channels: 1, squeezeChannel: false });
    expect(() => inputGeometry(seq([8, 8, 4]))).toThrow(InputError);
    expect(() => inputGeometry(seq([8, 8, 4]))).toThrow(/input shape is \[8, 8, 4\]/);
    const dyn = tf.sequential({ layers: [tf.layers.globalAveragePooling2d({ batchInputShape: [null, null, null, 3] }), tf.layers.dense({ units: 2 })] });
    expect(() => inputGeometry(dyn)).toThrow(/input shape is \[None, None, 3\].*fixed sizes/);
  });
});
