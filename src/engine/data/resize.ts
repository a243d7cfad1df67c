/**
 * Resizing on plain typed arrays (no TF.js): shortest side to the target then centre crop, with
 * bilinear sampling after an integer box pre-filter so large downscales do not alias.
 */
import type { DecodedImage } from './types';

/** RGBA pixels of one image. */
export interface Rgba {
  width: number;
  height: number;
  rgba: Uint8Array | Uint8ClampedArray;
}

/** Averages k x k blocks (k >= 1); the cheap first step of a large downscale. */
export function boxShrink(img: Rgba, k: number): Rgba {
  if (k <= 1) return img;
  const width = Math.max(1, Math.floor(img.width / k));
  const height = Math.max(1, Math.floor(img.height / k));
  const kx = Math.min(k, img.width);
  const ky = Math.min(k, img.height);
  const out = new Uint8Array(width * height * 4);
  const n = kx * ky;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let dy = 0; dy < ky; dy++) {
        let i = ((y * ky + dy) * img.width + x * kx) * 4;
        for (let dx = 0; dx < kx; dx++, i += 4) {
          r += img.rgba[i]!;
          g += img.rgba[i + 1]!;
          b += img.rgba[i + 2]!;
          a += img.rgba[i + 3]!;
        }
      }
      const o = (y * width + x) * 4;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
      out[o + 3] = Math.round(a / n);
    }
  }
  return { width, height, rgba: out };
}

/**
 * Samples a `height` x `width` window of `img`, which is scaled by `scale` (output pixels per
 * source pixel) and offset by (`top`, `left`) output pixels, bilinearly with half-pixel centres.
 */
function sample(img: Rgba, height: number, width: number, scale: number, top: number, left: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  const maxX = img.width - 1;
  const maxY = img.height - 1;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max((y + top + 0.5) / scale - 0.5, 0), maxY);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, maxY);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max((x + left + 0.5) / scale - 0.5, 0), maxX);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, maxX);
      const fx = sx - x0;
      const a = (y0 * img.width + x0) * 4;
      const b = (y0 * img.width + x1) * 4;
      const c = (y1 * img.width + x0) * 4;
      const d = (y1 * img.width + x1) * 4;
      const o = (y * width + x) * 4;
      for (let ch = 0; ch < 4; ch++) {
        const top2 = img.rgba[a + ch]! + (img.rgba[b + ch]! - img.rgba[a + ch]!) * fx;
        const bot = img.rgba[c + ch]! + (img.rgba[d + ch]! - img.rgba[c + ch]!) * fx;
        out[o + ch] = Math.round(top2 + (bot - top2) * fy);
      }
    }
  }
  return out;
}

/** Pre-shrinks by an integer factor so the remaining bilinear step scales by at least 1/2. */
function prefilter(img: Rgba, scale: number): { img: Rgba; scale: number } {
  const k = Math.floor(1 / (2 * scale));
  if (k < 2) return { img, scale };
  const small = boxShrink(img, k);
  return { img: small, scale: scale * (img.width / small.width) };
}

/** Resizes so the image covers height x width (shortest side to target), then centre-crops; RGBA out. */
export function resizeCropRgba(img: DecodedImage, height: number, width: number): Uint8Array {
  const scale0 = Math.max(height / img.height, width / img.width);
  const { img: src, scale } = prefilter(img, scale0);
  const top = (src.height * scale - height) / 2;
  const left = (src.width * scale - width) / 2;
  return sample(src, height, width, scale, top, left);
}

/** Shrinks an image so its longest side is at most `maxSide` (aspect kept); returns it unchanged when small. */
export function limitSide(img: Rgba, maxSide: number): Rgba {
  const longest = Math.max(img.width, img.height);
  if (longest <= maxSide) return img;
  const scale0 = maxSide / longest;
  const height = Math.max(1, Math.round(img.height * scale0));
  const width = Math.max(1, Math.round(img.width * scale0));
  const { img: src, scale } = prefilter(img, scale0);
  return { width, height, rgba: sample(src, height, width, scale, 0, 0) };
}

/** Drops alpha and converts to `channels` (3: RGB, 1: luma BT.601) bytes per pixel. */
export function rgbaToChannels(rgba: Uint8Array | Uint8ClampedArray, channels: number, out?: Uint8Array): Uint8Array {
  const n = rgba.length / 4;
  const dst = out ?? new Uint8Array(n * channels);
  for (let i = 0, o = 0; i < n; i++) {
    const p = i * 4;
    if (channels === 1) {
      dst[o++] = Math.round(0.299 * rgba[p]! + 0.587 * rgba[p + 1]! + 0.114 * rgba[p + 2]!);
    } else {
      dst[o++] = rgba[p]!;
      dst[o++] = rgba[p + 1]!;
      dst[o++] = rgba[p + 2]!;
    }
  }
  return dst;
}
