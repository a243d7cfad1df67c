/**
 * Image decoding for the Node CLI: jpeg-js and pngjs, type from magic bytes, size checked from
 * the header before any pixel is allocated, large images shrunk to maxSide on the longest side.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { applyOrientation, jpegOrientation } from '../engine/data/exif-orientation';
import { jpegIsComplete, readImageHeader } from '../engine/data/image-header';
import { limitSide } from '../engine/data/resize';
import type { DecodedImage, ImageDecoder } from '../engine/data/types';

/** Largest image decoded in full before shrinking (a 48-megapixel phone photo fits). */
const MAX_DECODE_MEGAPIXELS = 50;

/** Decodes JPEG and PNG bytes to RGBA with a message naming the file on any failure. */
export const decodeNode: ImageDecoder = async (bytes, path, maxSide) => {
  const header = readImageHeader(bytes);
  if (!header) throw new Error(`${path}: not a JPEG, PNG or WebP image`);
  if (header.type === 'webp' || header.type === 'gif' || header.type === 'bmp') {
    const what = header.type === 'webp' ? 'WebP' : header.type.toUpperCase();
    throw new Error(`${path}: ${what} images are decoded in the browser only; convert it to JPEG or PNG for the CLI`);
  }
  if (header.type === 'jpeg' && !jpegIsComplete(bytes)) {
    throw new Error(`${path}: the JPEG is truncated (the file ends before its image data does); copy or download it again`);
  }
  const { width, height } = header;
  if (width === null || height === null || width === 0 || height === 0) {
    throw new Error(`${path}: not a valid ${header.type.toUpperCase()} (no image size in its header); the file is damaged`);
  }
  const limit = Math.max(MAX_DECODE_MEGAPIXELS * 1e6, maxSide * maxSide);
  if (width * height > limit) {
    throw new Error(
      `${path}: ${width}x${height} pixels is larger than the ${maxSide}-pixel limit and too big to shrink here ` +
        `(at most ${Math.round(limit / 1e6)} megapixels); downscale it first`,
    );
  }
  const image = header.type === 'jpeg' ? decodeJpeg(bytes, path, limit) : decodePng(bytes, path);
  return limitSide(image, maxSide);
};

function decodeJpeg(bytes: ArrayBuffer, path: string, maxPixels: number): DecodedImage {
  try {
    const img = jpeg.decode(new Uint8Array(bytes), {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: maxPixels / 1e6 + 1,
      maxMemoryUsageInMB: Math.max(1024, Math.ceil((maxPixels * 8) / 1e6)),
    });
    // Browsers honour the EXIF rotation; so does the CLI.
    return applyOrientation({ width: img.width, height: img.height, rgba: img.data }, jpegOrientation(bytes));
  } catch (e) {
    throw new Error(`${path}: not a valid JPEG (${e instanceof Error ? e.message : String(e)}); the file is damaged`);
  }
}

function decodePng(bytes: ArrayBuffer, path: string): DecodedImage {
  try {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  } catch (e) {
    throw new Error(`${path}: not a valid PNG (${e instanceof Error ? e.message : String(e)}); the file is damaged or truncated`);
  }
}
