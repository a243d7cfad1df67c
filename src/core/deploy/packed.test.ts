import { describe, expect, it } from 'vitest';
import { packNm, unpackNm, type NmPackedLayer } from './packed';

/** Seeded uniform numbers in [-1, 1) (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** Scalar reference pruning: keeps the N largest |w| of every M consecutive input channels. */
function pruneNm(weights: Float32Array, shape: number[], n: number, m: number): Float32Array {
  const out = shape[shape.length - 1] ?? 1;
  const inCh = shape[shape.length - 2] ?? 1;
  const pruned = Float32Array.from(weights);
  const outer = weights.length / (inCh * out);
  for (let s = 0; s < outer; s++) {
    for (let b = 0; b < inCh; b += m) {
      for (let o = 0; o < out; o++) {
        const idx = Array.from({ length: m }, (_, j) => (s * inCh + b + j) * out + o);
        idx.sort((x, y) => Math.abs(weights[y] ?? 0) - Math.abs(weights[x] ?? 0));
        for (const i of idx.slice(n)) pruned[i] = 0;
      }
    }
  }
  return pruned;
}

function randomLayer(name: string, shape: number[], n: number, m: number, seed: number): NmPackedLayer {
  const next = rng(seed);
  const dense = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, next);
  return { name, shape, weights: pruneNm(dense, shape, n, m), n, m };
}

const u32 = (bytes: Uint8Array, at: number): number => new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);

describe('packNm / unpackNm', () => {
  it('round-trips conv [3, 3, 8, 4] at 2:4 and 1:4 and dense [16, 5] at 4:8', () => {
    const layers = [
      randomLayer('conv_a', [3, 3, 8, 4], 2, 4, 1),
      randomLayer('conv_b', [3, 3, 8, 4], 1, 4, 2),
      randomLayer('dense', [16, 5], 4, 8, 3),
    ];
    expect(layers[0]?.weights.filter((w) => w !== 0).length).toBe(144); // half of 288 kept
    const bytes = packNm(layers);
    expect(unpackNm(bytes)).toEqual(layers);
    // Payload: 2:4 -> 576 + 36, 1:4 -> 288 + 18 (+2 padding), 4:8 -> 160 + 15 (+1 padding).
    expect(u32(bytes, 16)).toBe(612 + 308 + 176);
    expect(bytes.length).toBe(Math.ceil((20 + u32(bytes, 12)) / 4) * 4 + 1096);
  });

  it('writes the layout byte by byte', () => {
    // Dense [4, 1] at 2:4, one group: positions 1 and 3 kept.
    const weights = Float32Array.from([0, 1.5, 0, -2]);
    const bytes = packNm([{ name: 'd', shape: [4, 1], weights, n: 2, m: 4 }]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x50, 0x54, 0x53, 0x4e, 0x4d, 0x31, 0, 0]);
    expect(u32(bytes, 8)).toBe(1);
    const headerBytes = u32(bytes, 12);
    const header = JSON.parse(String.fromCharCode(...bytes.subarray(20, 20 + headerBytes)));
    expect(header).toEqual({
      layers: [{ name: 'd', shape: [4, 1], n: 2, m: 4, bits: 2, groups: 1, valuesOffset: 0, valuesBytes: 8, indicesOffset: 8, indicesBytes: 1 }],
    });
    expect(u32(bytes, 16)).toBe(12); // 8 value bytes + 1 index byte, padded to 4
    const data = bytes.subarray(Math.ceil((20 + headerBytes) / 4) * 4);
    const view = new DataView(data.buffer, data.byteOffset);
    expect([view.getFloat32(0, true), view.getFloat32(4, true)]).toEqual([1.5, -2]);
    expect(Array.from(data.subarray(8))).toEqual([1 | (3 << 2), 0, 0, 0]);
  });

  it('pads a group with fewer than N non-zeros with its lowest zero positions', () => {
    // Dense [4, 1] at 2:4 with only position 2 non-zero: slots are positions 0 (value 0) and 2.
    const weights = Float32Array.from([0, -0, 7, 0]);
    const bytes = packNm([{ name: 'd', shape: [4, 1], weights, n: 2, m: 4 }]);
    const data = bytes.subarray(bytes.length - 12);
    const view = new DataView(data.buffer, data.byteOffset);
    expect([view.getFloat32(0, true), view.getFloat32(4, true)]).toEqual([0, 7]);
    expect(data[8]).toBe(0 | (2 << 2));
    expect(Array.from(unpackNm(bytes)[0]?.weights ?? [])).toEqual([0, 0, 7, 0]);
  });

  it('keeps unicode names and reads from an unaligned view', () => {
    const layer = randomLayer('block_1/é😀', [8, 3], 1, 2, 4);
    const packed = packNm([layer]);
    const shifted = new Uint8Array(packed.length + 3);
    shifted.set(packed, 3);
    expect(unpackNm(shifted.subarray(3))).toEqual([layer]);
  });

  it('packs an empty list', () => {
    expect(unpackNm(packNm([]))).toEqual([]);
  });

  it('refuses kernels that break N:M or do not fit', () => {
    const full = new Float32Array(8).fill(1);
    expect(() => packNm([{ name: 'fc', shape: [4, 2], weights: full, n: 2, m: 4 }])).toThrow(
      'packNm: 2:4 fails in 2 of 2 groups of fc; the first, group 0, holds 4 non-zeros.',
    );
    expect(() => packNm([{ name: 'fc', shape: [2, 4], weights: full, n: 1, m: 4 }])).toThrow(/cannot apply to fc/);
  });
});

describe('unpackNm on corrupt input', () => {
  const good = packNm([randomLayer('conv', [3, 3, 8, 4], 2, 4, 5)]);

  it('rejects a truncated buffer', () => {
    expect(() => unpackNm(good.subarray(0, good.length - 1))).toThrow(/truncated/);
    expect(() => unpackNm(good.subarray(0, 12))).toThrow(/truncated: 12 bytes/);
  });

  it('rejects wrong magic', () => {
    const bad = Uint8Array.from(good);
    bad[0] = 0x51;
    expect(() => unpackNm(bad)).toThrow(/wrong magic/);
    expect(() => unpackNm(Uint8Array.from([1, 2, 3]))).toThrow(/wrong magic/);
  });

  it('rejects another version', () => {
    const bad = Uint8Array.from(good);
    bad[8] = 2;
    expect(() => unpackNm(bad)).toThrow('unpackNm: version 2 is not supported (this reader knows version 1)');
  });

  it('rejects trailing bytes', () => {
    const bad = new Uint8Array(good.length + 4);
    bad.set(good);
    expect(() => unpackNm(bad)).toThrow(/4 unexpected bytes/);
  });

  it('rejects a broken header', () => {
    const bad = Uint8Array.from(good);
    bad[20] = 0x5d; // "]" where "{" was
    expect(() => unpackNm(bad)).toThrow(/not valid UTF-8 JSON/);
  });

  it('rejects a header whose sizes disagree with its shape', () => {
    const layer = randomLayer('d', [4, 1], 2, 4, 6);
    const bytes = packNm([layer]);
    const text = String.fromCharCode(...bytes).replace('"groups":1', '"groups":2');
    expect(() => unpackNm(Uint8Array.from(text, (c) => c.charCodeAt(0)))).toThrow(/says groups = 2, its shape needs 1/);
  });

  it('rejects a group that lists a position twice', () => {
    const bytes = packNm([{ name: 'd', shape: [4, 1], weights: Float32Array.from([0, 1.5, 0, -2]), n: 2, m: 4 }]);
    bytes[bytes.length - 4] = 1 | (1 << 2);
    expect(() => unpackNm(bytes)).toThrow('unpackNm: d: group 0 lists position 1 twice');
  });

  it('rejects a position outside a group of 3', () => {
    const bytes = packNm([{ name: 'd', shape: [3, 1], weights: Float32Array.from([0, 1, 0]), n: 1, m: 3 }]);
    bytes[bytes.length - 4] = 3;
    expect(() => unpackNm(bytes)).toThrow('unpackNm: d: group 0 points at position 3 of a group of 3');
  });
});
