import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { sharedAsset } from '../../node/assets.test-helpers';
import { jpegIsComplete, readImageHeader } from './image-header';

/** A standalone copy (a Node Buffer may be a view into a shared pool). */
const ab = (u: Uint8Array): ArrayBuffer => Uint8Array.from(u).buffer;
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

function encodeJpeg(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(width * height * 4, 128);
  return new Uint8Array(jpeg.encode({ width, height, data }, 90).data);
}

describe('readImageHeader', () => {
  it('reads JPEG and PNG sizes from real encodes', () => {
    expect(readImageHeader(ab(encodeJpeg(37, 21)))).toEqual({ type: 'jpeg', width: 37, height: 21 });
    const png = new PNG({ width: 5, height: 9 });
    expect(readImageHeader(ab(PNG.sync.write(png)))).toEqual({ type: 'png', width: 5, height: 9 });
  });

  it('reads WebP (lossy, lossless, extended), GIF and BMP headers', () => {
    const riff = (chunk: number[]) => ab(new Uint8Array([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBP'), ...chunk]));
    const vp8 = [...ascii('VP8 '), 0, 0, 0, 0, 0, 0, 0, 0x9d, 0x01, 0x2a, 640 & 255, 640 >> 8, 480 & 255, 480 >> 8];
    expect(readImageHeader(riff(vp8))).toEqual({ type: 'webp', width: 640, height: 480 });
    const bits = (100 - 1) | ((50 - 1) << 14);
    const vp8l = [...ascii('VP8L'), 0, 0, 0, 0, 0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, (bits >>> 24) & 255];
    expect(readImageHeader(riff(vp8l))).toEqual({ type: 'webp', width: 100, height: 50 });
    const w = 12000 - 1;
    const vp8x = [...ascii('VP8X'), 10, 0, 0, 0, 0, 0, 0, 0, w & 255, (w >> 8) & 255, w >> 16, w & 255, (w >> 8) & 255, w >> 16];
    expect(readImageHeader(riff(vp8x))).toEqual({ type: 'webp', width: 12000, height: 12000 });
    expect(readImageHeader(ab(new Uint8Array([...ascii('GIF89a'), 3, 0, 2, 0])))).toEqual({ type: 'gif', width: 3, height: 2 });
  });

  it('returns null for bytes that are not an image, whatever the name', () => {
    expect(readImageHeader(ab(new TextEncoder().encode('hello, not a picture')))).toBeNull();
    expect(readImageHeader(new ArrayBuffer(0))).toBeNull();
  });
});

const imagenet = sharedAsset('imagenet-dev', 'jpegIsComplete on real camera JPEGs (src/engine/data/image-header.test.ts)');

describe('jpegIsComplete', () => {
  it.skipIf(!imagenet)('accepts every real imagenet-dev JPEG and rejects each cut short', () => {
    const dir = imagenet!;
    const files = readdirSync(dir).filter((d) => /^\d+$/.test(d)).slice(0, 12).flatMap((d) => readdirSync(join(dir, d)).map((f) => join(dir, d, f)));
    expect(files.length).toBe(12);
    for (const f of files) {
      const bytes = new Uint8Array(readFileSync(f));
      expect(jpegIsComplete(ab(bytes))).toBe(true);
      for (const frac of [0.1, 0.5, 0.99]) expect(jpegIsComplete(ab(bytes.subarray(0, Math.floor(bytes.length * frac))))).toBe(false);
      // Bytes after EOI (camera trailers) do not make a complete file look truncated.
      expect(jpegIsComplete(ab(new Uint8Array([...bytes, 1, 2, 3, 4])))).toBe(true);
    }
  });
});
