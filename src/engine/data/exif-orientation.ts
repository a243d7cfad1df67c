/**
 * EXIF orientation of JPEGs (phone photos are often stored sideways with a rotate tag). Browsers
 * apply it when decoding; the Node decoder applies it here so the CLI sees the same pixels.
 */
import type { DecodedImage } from './types';

/** The EXIF orientation tag (1..8) of a JPEG; 1 when absent or unreadable. */
export function jpegOrientation(bytes: ArrayBuffer): number {
  const b = new Uint8Array(bytes);
  const dv = new DataView(bytes);
  let i = 2;
  while (i + 4 <= b.length && b[i] === 0xff) {
    const marker = b[i + 1]!;
    if (marker === 0xda || marker === 0xd9) break;
    const len = dv.getUint16(i + 2);
    const isExif = marker === 0xe1 && i + 10 <= b.length && String.fromCharCode(...b.subarray(i + 4, i + 8)) === 'Exif';
    if (isExif) return tiffOrientation(dv, i + 10, Math.min(b.length, i + 2 + len));
    i += 2 + len;
  }
  return 1;
}

/** Reads tag 0x0112 from IFD0 of the TIFF block at `t` (bounded by `end`). */
function tiffOrientation(dv: DataView, t: number, end: number): number {
  if (t + 8 > end) return 1;
  const little = dv.getUint16(t) === 0x4949;
  const u16 = (at: number) => dv.getUint16(at, little);
  const ifd = t + dv.getUint32(t + 4, little);
  if (ifd + 2 > end) return 1;
  const count = u16(ifd);
  for (let k = 0; k < count; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > end) break;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

/** The image as it should be displayed under EXIF `orientation` (1 = as stored). */
export function applyOrientation(img: DecodedImage, orientation: number): DecodedImage {
  if (orientation <= 1 || orientation > 8) return img;
  const { width: w, height: h } = img;
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  // Source (x, y) of output pixel (x, y) for each orientation.
  const src: Record<number, (x: number, y: number) => [number, number]> = {
    2: (x, y) => [w - 1 - x, y],
    3: (x, y) => [w - 1 - x, h - 1 - y],
    4: (x, y) => [x, h - 1 - y],
    5: (x, y) => [y, x],
    6: (x, y) => [y, h - 1 - x],
    7: (x, y) => [w - 1 - y, h - 1 - x],
    8: (x, y) => [w - 1 - y, x],
  };
  const map = src[orientation]!;
  const out = new Uint8Array(ow * oh * 4);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const [sx, sy] = map(x, y);
      const s = (sy * w + sx) * 4;
      out.set(img.rgba.subarray(s, s + 4), (y * ow + x) * 4);
    }
  }
  return { width: ow, height: oh, rgba: out };
}
