import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8 } from './utf8';

describe('utf8', () => {
  it('encodes 1- to 4-byte characters', () => {
    expect(Array.from(encodeUtf8('a'))).toEqual([0x61]);
    expect(Array.from(encodeUtf8('é'))).toEqual([0xc3, 0xa9]);
    expect(Array.from(encodeUtf8('€'))).toEqual([0xe2, 0x82, 0xac]);
    expect(Array.from(encodeUtf8('😀'))).toEqual([0xf0, 0x9f, 0x98, 0x80]);
    expect(Array.from(encodeUtf8('\ud800'))).toEqual([0xef, 0xbf, 0xbd]);
  });

  it('round-trips', () => {
    const text = 'conv_pw_1/é€😀 {"k": [1, 2]}';
    expect(decodeUtf8(encodeUtf8(text))).toBe(text);
  });

  it('rejects invalid sequences', () => {
    expect(() => decodeUtf8(Uint8Array.from([0xc3]))).toThrow(/byte 0/); // truncated
    expect(() => decodeUtf8(Uint8Array.from([0x61, 0xc0, 0x80]))).toThrow(/byte 1/); // overlong
    expect(() => decodeUtf8(Uint8Array.from([0xe0, 0x80, 0x80]))).toThrow(RangeError); // overlong
    expect(() => decodeUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toThrow(RangeError); // surrogate
    expect(() => decodeUtf8(Uint8Array.from([0xc3, 0x41]))).toThrow(/byte 1/); // bad continuation
    expect(() => decodeUtf8(Uint8Array.from([0x80]))).toThrow(RangeError);
  });
});
