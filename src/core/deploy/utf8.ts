/**
 * UTF-8 without TextEncoder/TextDecoder, which core's ES2022-only lib does not declare.
 * The decoder is strict: it rejects truncated, overlong and surrogate sequences.
 */

/** Encodes a string as UTF-8 bytes (lone surrogates become U+FFFD). */
export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    let cp = char.codePointAt(0) ?? 0xfffd;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Decodes UTF-8 bytes; throws a RangeError at the first invalid sequence. */
export function decodeUtf8(bytes: Uint8Array): string {
  const points: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    // Continuation bytes after the lead: 0xc0, 0xc1 and 0xf5.. never start a valid sequence.
    const extra = lead < 0x80 ? 0 : lead < 0xc2 ? -1 : lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : lead < 0xf5 ? 3 : -1;
    if (extra < 0 || i + extra >= bytes.length) {
      throw new RangeError(`invalid UTF-8 at byte ${i}`);
    }
    let cp = extra === 0 ? lead : lead & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) {
      const next = bytes[i + k] ?? 0;
      if ((next & 0xc0) !== 0x80) throw new RangeError(`invalid UTF-8 at byte ${i + k}`);
      cp = (cp << 6) | (next & 0x3f);
    }
    const min = [0, 0x80, 0x800, 0x10000][extra] ?? 0;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw new RangeError(`invalid UTF-8 at byte ${i}`);
    }
    points.push(cp);
    i += extra + 1;
  }
  let text = '';
  for (let start = 0; start < points.length; start += 4096) {
    text += String.fromCodePoint(...points.slice(start, start + 4096));
  }
  return text;
}
