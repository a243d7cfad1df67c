import { describe, expect, it } from 'vitest';
import { readBits, writeBits } from './bit-stream';

describe('bit stream', () => {
  it('packs 2-bit values LSB first', () => {
    const bytes = new Uint8Array(1);
    [3, 1, 2, 3].forEach((v, k) => writeBits(bytes, 2 * k, v, 2));
    // 3 | 1 << 2 | 2 << 4 | 3 << 6 = 3 + 4 + 32 + 192
    expect(bytes[0]).toBe(231);
    expect([0, 1, 2, 3].map((k) => readBits(bytes, 2 * k, 2))).toEqual([3, 1, 2, 3]);
  });

  it('crosses byte boundaries with 3-bit values', () => {
    const bytes = new Uint8Array(2);
    [5, 1, 7].forEach((v, k) => writeBits(bytes, 3 * k, v, 3));
    // bits 0, 2 (5), bit 3 (1), bits 6, 7, 8 (7): byte 0 = 1 + 4 + 8 + 64 + 128, byte 1 = 1
    expect(Array.from(bytes)).toEqual([205, 1]);
    expect([0, 1, 2].map((k) => readBits(bytes, 3 * k, 3))).toEqual([5, 1, 7]);
  });

  it('writes nothing at width 0', () => {
    const bytes = new Uint8Array(1);
    writeBits(bytes, 0, 1, 0);
    expect(bytes[0]).toBe(0);
    expect(readBits(bytes, 0, 0)).toBe(0);
  });
});
