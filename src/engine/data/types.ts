/** Decoded pixels of one image, before any resizing. */
export interface DecodedImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row-major. */
  rgba: Uint8Array | Uint8ClampedArray;
}

/**
 * Turns file bytes into pixels. The browser implementation uses createImageBitmap; the Node one
 * jpeg-js / pngjs. `maxSide` lets a decoder downscale huge images while decoding (or refuse them)
 * instead of holding every pixel. Throws an Error whose message names the problem.
 */
export type ImageDecoder = (bytes: ArrayBuffer, path: string, maxSide: number) => Promise<DecodedImage>;

/** Calibration or held-out images at the model's input size, stored compactly as bytes. */
export interface Dataset {
  /** Height, width, channels of one stored image (the model's input size; channels 1 or 3). */
  height: number;
  width: number;
  channels: number;
  /** True when the model input is rank 3 ([h, w] grayscale without a channel axis). */
  squeezeChannel: boolean;
  /** All images, N*H*W*C bytes, 0..255, after resize + centre crop. */
  pixels: Uint8Array;
  /** Number of images. */
  count: number;
  /** Class index per image, or null when unlabelled. */
  labels: Int32Array | null;
  /** Path of each image, for messages. */
  paths: string[];
  /** Class names by index when known. */
  classNames: string[] | null;
}
