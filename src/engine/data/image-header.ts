/**
 * Reads an image's type and size from its first bytes (magic numbers, not the extension), and
 * checks that a JPEG is complete, so decoders can refuse huge or truncated files cheaply.
 */

/** Image formats the studio recognises. */
export type ImageType = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp';

/** Type and, when the header holds it, pixel size. */
export interface ImageHeader {
  type: ImageType;
  width: number | null;
  height: number | null;
}

/** The image type and size from magic bytes, or null when the bytes are not a known image. */
export function readImageHeader(bytes: ArrayBuffer): ImageHeader | null {
  const b = new Uint8Array(bytes);
  const ascii = (at: number, s: string) => [...s].every((ch, i) => b[at + i] === ch.charCodeAt(0));
  const u16be = (at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
  const u32be = (at: number) => u16be(at) * 65536 + u16be(at + 2);
  const u16le = (at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { type: 'jpeg', ...jpegSize(b) };
  if (b[0] === 0x89 && ascii(1, 'PNG\r\n\x1a\n')) {
    return ascii(12, 'IHDR') ? { type: 'png', width: u32be(16), height: u32be(20) } : { type: 'png', width: null, height: null };
  }
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) {
    if (ascii(12, 'VP8X')) {
      const w = 1 + ((b[24] ?? 0) | ((b[25] ?? 0) << 8) | ((b[26] ?? 0) << 16));
      const h = 1 + ((b[27] ?? 0) | ((b[28] ?? 0) << 8) | ((b[29] ?? 0) << 16));
      return { type: 'webp', width: w, height: h };
    }
    if (ascii(12, 'VP8L') && b[20] === 0x2f) {
      const v = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
      return { type: 'webp', width: 1 + (v & 0x3fff), height: 1 + ((v >>> 14) & 0x3fff) };
    }
    if (ascii(12, 'VP8 ') && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
      return { type: 'webp', width: u16le(26) & 0x3fff, height: u16le(28) & 0x3fff };
    }
    return { type: 'webp', width: null, height: null };
  }
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return { type: 'gif', width: u16le(6), height: u16le(8) };
  if (ascii(0, 'BM') && b.length > 26) {
    const h = (b[22] ?? 0) | ((b[23] ?? 0) << 8) | ((b[24] ?? 0) << 16) | ((b[25] ?? 0) << 24);
    return { type: 'bmp', width: (b[18] ?? 0) | ((b[19] ?? 0) << 8) | ((b[20] ?? 0) << 16), height: Math.abs(h) };
  }
  return null;
}

/** Width and height from the first SOFn marker of a JPEG. */
function jpegSize(b: Uint8Array): { width: number | null; height: number | null } {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return { width: null, height: null };
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
    if (marker === 0xda) break;
    i += 2 + len;
  }
  return { width: null, height: null };
}

/**
 * Whether a JPEG's marker structure runs to its EOI marker. Walks the segments and the
 * entropy-coded data (where a real marker is FF followed by neither 00 nor a restart code), so a
 * file cut short anywhere, even one with trailing data, is caught.
 */
export function jpegIsComplete(bytes: ArrayBuffer): boolean {
  const b = new Uint8Array(bytes);
  let i = 2;
  while (i + 1 < b.length) {
    if (b[i] !== 0xff) return false;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd9) return true;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (i + 3 >= b.length) return false;
    i += 2 + ((b[i + 2]! << 8) | b[i + 3]!);
    if (marker !== 0xda) continue;
    // Entropy-coded scan data: skip to the next real marker.
    while (i + 1 < b.length && !(b[i] === 0xff && b[i + 1] !== 0x00 && !(b[i + 1]! >= 0xd0 && b[i + 1]! <= 0xd7))) i++;
    if (i + 1 >= b.length) return false;
  }
  return false;
}
