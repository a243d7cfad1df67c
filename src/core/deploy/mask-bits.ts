/**
 * Masks of any pattern as 1 bit per weight: weight i is bit (i % 8) of byte floor(i / 8),
 * least significant bit first; the unused high bits of the last byte are 0.
 * ceil(length / 8) bytes in all.
 */

/** Packs a 0/1 mask (any non-zero byte counts as 1) into ceil(length / 8) bytes, LSB first. */
export function packMaskBits(mask: Uint8Array): Uint8Array {
  const bits = new Uint8Array(Math.ceil(mask.length / 8));
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 0) bits[i >>> 3] = (bits[i >>> 3] ?? 0) | (1 << (i & 7));
  }
  return bits;
}

/** Unpacks `length` mask entries (0 or 1) from LSB-first bits; throws when the bits are too short. */
export function unpackMaskBits(bits: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`unpackMaskBits: bad length ${length}`);
  const need = Math.ceil(length / 8);
  if (bits.length < need) {
    throw new RangeError(`unpackMaskBits: ${length} entries need ${need} bytes, got ${bits.length}`);
  }
  const mask = new Uint8Array(length);
  for (let i = 0; i < length; i++) mask[i] = ((bits[i >>> 3] ?? 0) >>> (i & 7)) & 1;
  return mask;
}
