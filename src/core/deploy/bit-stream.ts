/**
 * Fixed-width unsigned integers in a byte array, LSB-first: stream bit b is bit (b % 8) of byte
 * floor(b / 8), and each value's least significant bit comes first. The same bit order as
 * mask-bits.ts, so one reader serves both.
 */

/** ORs the low `width` bits of `value` into `target` at bit `offset`; the target starts zeroed. */
export function writeBits(target: Uint8Array, offset: number, value: number, width: number): void {
  for (let i = 0; i < width; i++) {
    if (((value >>> i) & 1) === 0) continue;
    const bit = offset + i;
    const byte = bit >>> 3;
    target[byte] = (target[byte] ?? 0) | (1 << (bit & 7));
  }
}

/** Reads a `width`-bit unsigned value (width <= 31) from `source` at bit `offset`. */
export function readBits(source: Uint8Array, offset: number, width: number): number {
  let value = 0;
  for (let i = 0; i < width; i++) {
    const bit = offset + i;
    value |= (((source[bit >>> 3] ?? 0) >>> (bit & 7)) & 1) << i;
  }
  return value;
}
