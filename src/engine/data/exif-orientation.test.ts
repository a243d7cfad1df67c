import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeNode } from '../../node/decode';
import { applyOrientation, jpegOrientation } from './exif-orientation';

/** A JPEG of width x height with an APP1 Exif segment holding `orientation`, in either byte order. */
function jpegWithOrientation(width: number, height: number, orientation: number, little: boolean): ArrayBuffer {
  const plain = jpeg.encode({ width, height, data: Buffer.alloc(width * height * 4, 100) }, 90).data;
  const tiff = new Uint8Array(26);
  const dv = new DataView(tiff.buffer);
  tiff.set(little ? [0x49, 0x49] : [0x4d, 0x4d]);
  dv.setUint16(2, 42, little);
  dv.setUint32(4, 8, little);
  dv.setUint16(8, 1, little);
  dv.setUint16(10, 0x0112, little);
  dv.setUint16(12, 3, little);
  dv.setUint32(14, 1, little);
  dv.setUint16(18, orientation, little);
  const app1 = [0xff, 0xe1, 0, 2 + 6 + tiff.length, ...[...'Exif'].map((c) => c.charCodeAt(0)), 0, 0, ...tiff];
  return Uint8Array.from([...plain.subarray(0, 2), ...app1, ...plain.subarray(2)]).buffer;
}

/** 3x2 image whose pixel (x, y) has red = 10 * (y * 3 + x). */
const img = { width: 3, height: 2, rgba: Uint8Array.from({ length: 24 }, (_, i) => (i % 4 === 0 ? 10 * (i / 4) : 255)) };
const reds = (rgba: Uint8Array | Uint8ClampedArray) => Array.from(rgba.filter((_, i) => i % 4 === 0));

describe('EXIF orientation', () => {
  it('reads the tag in both byte orders, 1 when absent', () => {
    expect(jpegOrientation(jpegWithOrientation(8, 8, 6, true))).toBe(6);
    expect(jpegOrientation(jpegWithOrientation(8, 8, 3, false))).toBe(3);
    expect(jpegOrientation(Uint8Array.from(jpeg.encode({ width: 4, height: 4, data: Buffer.alloc(64) }).data).buffer)).toBe(1);
  });

  it('rotates and flips like a browser', () => {
    // Stored rows: [0 10 20] / [30 40 50].
    expect(reds(applyOrientation(img, 2).rgba)).toEqual([20, 10, 0, 50, 40, 30]);
    expect(reds(applyOrientation(img, 3).rgba)).toEqual([50, 40, 30, 20, 10, 0]);
    expect(reds(applyOrientation(img, 4).rgba)).toEqual([30, 40, 50, 0, 10, 20]);
    const cw = applyOrientation(img, 6);
    expect([cw.width, cw.height]).toEqual([2, 3]);
    expect(reds(cw.rgba)).toEqual([30, 0, 40, 10, 50, 20]);
    expect(reds(applyOrientation(img, 8).rgba)).toEqual([20, 50, 10, 40, 0, 30]);
    expect(reds(applyOrientation(img, 5).rgba)).toEqual([0, 30, 10, 40, 20, 50]);
    expect(reds(applyOrientation(img, 7).rgba)).toEqual([50, 20, 40, 10, 30, 0]);
    expect(applyOrientation(img, 1)).toBe(img);
  });

  it('is applied by the Node decoder', async () => {
    const d = await decodeNode(jpegWithOrientation(32, 16, 6, true), 'phone.jpg', 4096);
    expect([d.width, d.height]).toEqual([16, 32]);
  });
});
