import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeNode } from './decode';
import { sharedAsset } from './assets.test-helpers';

const imagenet = sharedAsset('imagenet-dev', 'decoding and truncating real camera JPEGs (src/node/decode.test.ts, 2 tests)');

const ab = (u: Uint8Array): ArrayBuffer => Uint8Array.from(u).buffer;

function png(width: number, height: number, fill: (x: number, y: number) => number[]): ArrayBuffer {
  const img = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) img.data.set(fill(x, y), (y * width + x) * 4);
  return ab(PNG.sync.write(img));
}

/** Error message of a rejected decode. */
async function failure(bytes: ArrayBuffer, path: string, maxSide = 4096): Promise<string> {
  const e = await decodeNode(bytes, path, maxSide).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(Error);
  return (e as Error).message;
}

/** A PNG signature + IHDR claiming width x height, and nothing else (a few bytes, no pixels). */
function pngHeaderOnly(width: number, height: number): ArrayBuffer {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  b.set([8, 6, 0, 0, 0], 24);
  return b.buffer;
}

/** SOI + a baseline SOF0 frame header claiming width x height. */
function jpegHeaderOnly(width: number, height: number): ArrayBuffer {
  return ab(new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, height >> 8, height & 255, width >> 8, width & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]));
}

describe('decodeNode', () => {
  it('decodes PNG pixels exactly, grayscale included', async () => {
    const img = await decodeNode(png(3, 2, (x, y) => [x * 10, y * 20, 5, 255]), 'a.png', 4096);
    expect([img.width, img.height]).toEqual([3, 2]);
    expect(Array.from(img.rgba.slice(0, 8))).toEqual([0, 0, 5, 255, 10, 0, 5, 255]);
    expect(Array.from(img.rgba.slice(20, 24))).toEqual([20, 20, 5, 255]);
    const gray = new PNG({ width: 2, height: 1, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
    gray.data = Buffer.from([17, 200]);
    const g = await decodeNode(ab(PNG.sync.write(gray, { colorType: 0, inputColorType: 0, inputHasAlpha: false })), 'g.png', 4096);
    expect(Array.from(g.rgba)).toEqual([17, 17, 17, 255, 200, 200, 200, 255]);
  });

  it.skipIf(!imagenet)('decodes a real JPEG and a flat-colour JPEG to within JPEG error', async () => {
    const path = join(imagenet!, '000', 'n01440764_tench.jpg');
    const real = await decodeNode(ab(readFileSync(path)), '000/n01440764_tench.jpg', 4096);
    expect(Math.min(real.width, real.height)).toBe(256);
    expect(real.rgba.length).toBe(real.width * real.height * 4);
    const data = Buffer.alloc(16 * 16 * 4);
    for (let i = 0; i < 256; i++) data.set([200, 40, 90, 255], i * 4);
    const flat = await decodeNode(ab(jpeg.encode({ width: 16, height: 16, data }, 95).data), 'flat.jpg', 4096);
    expect(Math.abs(flat.rgba[0]! - 200)).toBeLessThanOrEqual(3);
    expect(Math.abs(flat.rgba[1]! - 40)).toBeLessThanOrEqual(3);
    expect(Math.abs(flat.rgba[2]! - 90)).toBeLessThanOrEqual(3);
  });

  it('shrinks images over maxSide, keeping the aspect ratio', async () => {
    const img = await decodeNode(png(400, 100, () => [50, 60, 70, 255]), 'wide.png', 100);
    expect([img.width, img.height]).toEqual([100, 25]);
    expect(Array.from(img.rgba.slice(0, 4))).toEqual([50, 60, 70, 255]);
  });

  it('detects the type from the bytes, not the extension', async () => {
    const img = await decodeNode(png(1, 1, () => [1, 2, 3, 255]), 'misnamed.jpg', 4096);
    expect(Array.from(img.rgba)).toEqual([1, 2, 3, 255]);
    expect(await failure(ab(new TextEncoder().encode('not an image')), 'notes/x.txt')).toBe('notes/x.txt: not a JPEG, PNG or WebP image');
    expect(await failure(ab(new TextEncoder().encode('fake')), 'cat.jpg')).toBe('cat.jpg: not a JPEG, PNG or WebP image');
  });

  it.skipIf(!imagenet)('names a truncated JPEG', async () => {
    const bytes = readFileSync(join(imagenet!, '010', 'n01530575_brambling.jpg'));
    const cut = ab(bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await failure(cut, '010/bird.jpg')).toBe(
      '010/bird.jpg: the JPEG is truncated (the file ends before its image data does); copy or download it again',
    );
  });

  it('names a damaged PNG', async () => {
    const good = new Uint8Array(png(4, 4, () => [9, 9, 9, 255]));
    const damaged = good.slice(0, 40);
    expect(await failure(ab(damaged), 'd.png')).toMatch(/^d\.png: not a valid PNG \(.+\); the file is damaged or truncated$/);
  });

  it('refuses a 12000x12000 image from its header, before allocating pixels', async () => {
    const expected = (name: string) =>
      `${name}: 12000x12000 pixels is larger than the 4096-pixel limit and too big to shrink here (at most 50 megapixels); downscale it first`;
    expect(await failure(pngHeaderOnly(12000, 12000), 'huge.png')).toBe(expected('huge.png'));
    expect(await failure(jpegHeaderOnly(12000, 12000), 'photo.jpg')).toBe(expected('photo.jpg'));
  });

  it('explains that WebP is decoded in the browser only', async () => {
    const webp = ab(new Uint8Array([...'RIFF'].map((c) => c.charCodeAt(0)).concat([0, 0, 0, 0], [...'WEBPVP8 '].map((c) => c.charCodeAt(0)))));
    expect(await failure(webp, 'w.webp')).toBe('w.webp: WebP images are decoded in the browser only; convert it to JPEG or PNG for the CLI');
  });
});
