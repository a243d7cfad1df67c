import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeBrowser } from './decode-browser';

/** Fakes of the worker's createImageBitmap / OffscreenCanvas, recording what the decoder asks for. */
let calls: ImageBitmapOptions[] = [];
let closed = 0;
beforeEach(() => {
  calls = [];
  closed = 0;
  vi.stubGlobal('createImageBitmap', async (_blob: Blob, opts: ImageBitmapOptions) => {
    calls.push(opts);
    const width = opts.resizeWidth ?? 20;
    return { width, height: Math.round(width / 2), close: () => closed++ };
  });
  vi.stubGlobal(
    'OffscreenCanvas',
    class {
      constructor(readonly width: number, readonly height: number) {}
      getContext() {
        const { width, height } = this;
        return { drawImage: () => {}, getImageData: () => ({ data: new Uint8ClampedArray(width * height * 4).fill(77) }) };
      }
    },
  );
});
afterEach(() => vi.unstubAllGlobals());

function pngHeader(width: number, height: number): ArrayBuffer {
  const img = new PNG({ width: 1, height: 1 });
  const b = Uint8Array.from(PNG.sync.write(img));
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  return b.buffer;
}

describe('decodeBrowser (with faked browser APIs)', () => {
  it('decodes small images at full size and closes the bitmap', async () => {
    const img = await decodeBrowser(pngHeader(20, 10), 'a.png', 4096);
    expect([img.width, img.height, img.rgba[0]]).toEqual([20, 10, 77]);
    expect(calls).toEqual([{ premultiplyAlpha: 'none' }]);
    expect(closed).toBe(1);
  });

  it('asks the browser to shrink images over maxSide while decoding', async () => {
    const img = await decodeBrowser(pngHeader(8000, 4000), 'big.png', 1000);
    expect(calls[0]).toEqual({ premultiplyAlpha: 'none', resizeWidth: 1000, resizeQuality: 'high' });
    expect([img.width, img.height]).toEqual([1000, 500]);
  });

  it('names the file for non-images, truncated JPEGs, huge images and decode failures', async () => {
    const fail = (bytes: ArrayBuffer, path: string) => decodeBrowser(bytes, path, 4096).then(() => '', (e: Error) => e.message);
    expect(await fail(new TextEncoder().encode('hello').buffer as ArrayBuffer, 'x.txt')).toBe('x.txt: not a JPEG, PNG or WebP image');
    const cutJpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 0, 67, 1, 2]).buffer;
    expect(await fail(cutJpeg, 'c.jpg')).toMatch(/^c\.jpg: the JPEG is truncated/);
    expect(await fail(pngHeader(12000, 12000), 'huge.png')).toMatch(/^huge\.png: 12000x12000 pixels is larger than the 4096-pixel limit/);
    vi.stubGlobal('createImageBitmap', async () => {
      throw new Error('The source image could not be decoded.');
    });
    expect(await fail(pngHeader(4, 4), 'bad.png')).toBe(
      'bad.png: the browser could not decode this PNG (The source image could not be decoded.); the file is damaged or in an unsupported variant',
    );
  });
});
