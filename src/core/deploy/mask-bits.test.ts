import { describe, expect, it } from 'vitest';
import { packMaskBits, unpackMaskBits } from './mask-bits';

describe('mask bits', () => {
  it('packs LSB first', () => {
    const mask = Uint8Array.from([1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1]);
    // byte 0: bits 0, 2, 3 = 1 + 4 + 8; byte 1: bits 0, 2 = 1 + 4
    expect(Array.from(packMaskBits(mask))).toEqual([13, 5]);
    expect(unpackMaskBits(Uint8Array.from([13, 5]), 11)).toEqual(mask);
  });

  it('treats any non-zero byte as kept', () => {
    expect(Array.from(packMaskBits(Uint8Array.from([255, 2, 0])))).toEqual([3]);
  });

  it('round-trips every length from 0 to 40', () => {
    let seed = 7;
    for (let length = 0; length <= 40; length++) {
      const mask = new Uint8Array(length);
      for (let i = 0; i < length; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        mask[i] = seed & 1024 ? 1 : 0;
      }
      const bits = packMaskBits(mask);
      expect(bits.length).toBe(Math.ceil(length / 8));
      expect(unpackMaskBits(bits, length)).toEqual(mask);
    }
  });

  it('throws when the bits are too short', () => {
    expect(() => unpackMaskBits(new Uint8Array(1), 9)).toThrow(/9 entries need 2 bytes, got 1/);
    expect(() => unpackMaskBits(new Uint8Array(1), -1)).toThrow(/bad length/);
  });
});
