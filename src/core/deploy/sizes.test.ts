import { describe, expect, it } from 'vitest';
import { csrBytes, csrIndexBytes, layerSizes, nmPackedBytes, totalSizes } from './sizes';

// Dense [4, 3] with 5 non-zeros.
const dense43 = new Float32Array([1, 0, 0, 0, 2, 0, 3, 0, 0, 0, 4, 5]);
// Dense [8, 2], valid 2:4: groups [0,2,4,6] [1,3,5,7] [8,10,12,14] [9,11,13,15], two non-zeros each.
const dense82 = new Float32Array(16);
for (const i of [0, 6, 3, 5, 10, 12, 9, 15]) dense82[i] = 1;

describe('layerSizes', () => {
  it('sizes Dense [4, 3] with 5 non-zeros', () => {
    // dense 12 * 4 = 48; bitmask ceil(12 / 8) + 5 * 4 = 22;
    // CSR [3 rows, 4 cols]: 5 * 4 values + 5 * 1 uint8 cols + 4 * 4 row pointers = 41.
    expect(layerSizes({ name: 'fc', shape: [4, 3], weights: dense43 })).toEqual({
      denseFloat32: 48,
      bitmask: 22,
      csr: 41,
      nmPacked: null,
      params: 12,
      nonZeros: 5,
    });
  });

  it('sizes a 2:4 Dense [8, 2]', () => {
    // dense 64; bitmask 2 + 32 = 34; CSR [2, 8]: 32 + 8 + 12 = 52;
    // packed: 4 groups * 2 * 4 B = 32 values + ceil(8 slots * 2 bits / 8) = 2 index bytes = 34.
    expect(layerSizes({ name: 'fc', shape: [8, 2], weights: dense82, nm: { n: 2, m: 4 } })).toEqual({
      denseFloat32: 64,
      bitmask: 34,
      csr: 52,
      nmPacked: 34,
      params: 16,
      nonZeros: 8,
    });
  });

  it('gives no packed size to a layer that breaks N:M or does not fit', () => {
    const broken = Float32Array.from(dense82);
    broken[2] = 1; // group 0 now holds 3
    expect(layerSizes({ name: 'fc', shape: [8, 2], weights: broken, nm: { n: 2, m: 4 } }).nmPacked).toBeNull();
    expect(layerSizes({ name: 'fc', shape: [4, 3], weights: dense43, nm: { n: 2, m: 8 } }).nmPacked).toBeNull();
  });

  it('rejects a weight count that does not match the shape', () => {
    expect(() => layerSizes({ name: 'fc', shape: [4, 4], weights: dense43 })).toThrow(/fc has 12 weights/);
  });
});

describe('nmPackedBytes', () => {
  it('matches hand counts', () => {
    // Conv [3, 3, 8, 4]: 72 groups. 2:4: 144 * 4 + 144 * 2 / 8 = 612. 1:4: 288 + 18 = 306.
    expect(nmPackedBytes([3, 3, 8, 4], 2, 4)).toBe(612);
    expect(nmPackedBytes([3, 3, 8, 4], 1, 4)).toBe(306);
    // Dense [16, 5] 4:8: 10 groups, 40 slots: 160 + ceil(120 / 8) = 175.
    expect(nmPackedBytes([16, 5], 4, 8)).toBe(175);
    // 2:3 needs 2 bits; Dense [3, 3]: 3 groups, 6 slots: 24 + ceil(12 / 8) = 26.
    expect(nmPackedBytes([3, 3], 2, 3)).toBe(26);
    expect(nmPackedBytes([6, 2], 2, 4)).toBeNull();
  });
});

describe('CSR', () => {
  it('picks the smallest column index type', () => {
    expect([1, 256, 257, 65536, 65537].map(csrIndexBytes)).toEqual([1, 1, 2, 2, 4]);
  });

  it('uses rows = last axis', () => {
    // Conv [3, 3, 32, 2]: 2 rows of 288 columns -> uint16; 10 non-zeros: 40 + 20 + 12 = 72.
    expect(csrBytes([3, 3, 32, 2], 10)).toBe(72);
    // An empty Dense [300, 2] still stores its 3 row pointers.
    expect(csrBytes([300, 2], 0)).toBe(12);
    // A 1-axis shape is one row: 2 * 5 + 8 = 18.
    expect(csrBytes([7], 2)).toBe(18);
  });
});

describe('totalSizes', () => {
  const a = layerSizes({ name: 'fc1', shape: [4, 3], weights: dense43 });
  const b = layerSizes({ name: 'fc2', shape: [8, 2], weights: dense82, nm: { n: 2, m: 4 } });

  it('sums layers and counts non-N:M layers as dense in the packed total', () => {
    // dense 48 + 64 = 112; bitmask 22 + 34 = 56; csr 41 + 52 = 93; packed 48 (dense) + 34 = 82.
    expect(totalSizes([a, b], 70)).toEqual({
      denseFloat32: 112,
      bitmask: 56,
      csr: 93,
      nmPacked: 82,
      nmLayers: 1,
      gzip: 70,
      params: 28,
      nonZeros: 13,
      sparsity: 15 / 28,
      ratios: { bitmask: 0.5, csr: 93 / 112, nmPacked: 82 / 112, gzip: 0.625 },
    });
  });

  it('has no packed or gzip figure when nothing packs and no gzip size is given', () => {
    const t = totalSizes([a]);
    expect(t.nmPacked).toBeNull();
    expect(t.gzip).toBeNull();
    expect(t.ratios).toEqual({ bitmask: 22 / 48, csr: 41 / 48, nmPacked: null, gzip: null });
  });

  it('handles an empty model', () => {
    expect(totalSizes([]).sparsity).toBe(0);
    expect(totalSizes([]).ratios.bitmask).toBe(0);
  });
});
