/**
 * Image decoding in the worker: createImageBitmap (shrinking huge images while decoding) drawn
 * on an OffscreenCanvas for RGBA. Type and size come from the header, never the extension.
 */
import { jpegIsComplete, readImageHeader } from '../src/engine/data/image-header';
import { limitSide } from '../src/engine/data/resize';
import type { ImageDecoder } from '../src/engine/data/types';

/** Beyond this the browser would hold the full image before shrinking it: refuse instead. */
const MAX_MEGAPIXELS = 100;

/** Decodes JPEG, PNG, WebP (and GIF/BMP) bytes to RGBA; errors name the file and the problem. */
export const decodeBrowser: ImageDecoder = async (bytes, path, maxSide) => {
  const header = readImageHeader(bytes);
  if (!header) throw new Error(`${path}: not a JPEG, PNG or WebP image`);
  if (header.type === 'jpeg' && !jpegIsComplete(bytes)) {
    throw new Error(`${path}: the JPEG is truncated (the file ends before its image data does); copy or download it again`);
  }
  const { width, height } = header;
  if (width !== null && height !== null && width * height > MAX_MEGAPIXELS * 1e6) {
    throw new Error(
      `${path}: ${width}x${height} pixels is larger than the ${maxSide}-pixel limit and too big to shrink here ` +
        `(at most ${MAX_MEGAPIXELS} megapixels); downscale it first`,
    );
  }
  const options: ImageBitmapOptions = { premultiplyAlpha: 'none' };
  if (width !== null && height !== null && Math.max(width, height) > maxSide) {
    // Only the width is given so the aspect ratio survives an EXIF rotation; limitSide below finishes the job.
    options.resizeWidth = Math.max(1, Math.round((width * maxSide) / Math.max(width, height)));
    options.resizeQuality = 'high';
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]), options);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`${path}: the browser could not decode this ${header.type.toUpperCase()} (${why}); the file is damaged or in an unsupported variant`);
  }
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error(`${path}: no 2D canvas in this browser's workers, so images cannot be decoded here`);
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return limitSide({ width: bitmap.width, height: bitmap.height, rgba: data }, maxSide);
  } finally {
    bitmap.close();
  }
};
