import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { magnitudeMask, magnitudeMaskKeeping } from '../../core/masks/magnitude';
import { nmMask } from '../../core/masks/nm';
import { Rng } from '../../core/rng';
import { setupNodeBackend } from '../../node/backend';
import { wasmMagnitudeMaskAvailable, wasmNmMaskAvailable } from '../wasm-grad/magnitude-mask';
import { deviceMask } from './device-masks';

describe('deviceMask matches the host masks exactly', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const rng = new Rng(3);
  // Rounded values create ties, which both sides must break the same way (lower index kept).
  const weights = (n: number) => Float32Array.from({ length: n }, () => Math.round((rng.next() - 0.5) * 8) / 4);

  it('N:M on conv and dense kernels, ties included', () => {
    for (const [shape, n, m] of [[[3, 3, 8, 4], 2, 4], [[3, 3, 8, 4], 1, 4], [[16, 5], 4, 8], [[2, 2, 4, 3], 1, 2]] as [number[], number, number][]) {
      const w = weights(shape.reduce((a, b) => a * b, 1));
      const got = tf.tidy(() => deviceMask(tf.tensor(w, shape), { kind: 'nm', n, m }).dataSync());
      expect(Array.from(got)).toEqual(Array.from(nmMask(w, shape, n, m)));
    }
  });

  it('N:M ranks a NaN weight below every real one, as the host does', () => {
    const w = weights(3 * 3 * 8 * 4);
    w[5] = NaN;
    w[40] = NaN;
    const shape = [3, 3, 8, 4];
    const got = tf.tidy(() => deviceMask(tf.tensor(w, shape), { kind: 'nm', n: 2, m: 4 }).dataSync());
    expect(got[5]).toBe(0);
    expect(Array.from(got)).toEqual(Array.from(nmMask(w, shape, 2, 4)));
  });

  it('magnitude masks keep exactly k, ties by lower index', () => {
    const w = weights(200);
    const got = tf.tidy(() => deviceMask(tf.tensor(w, [10, 20]), { kind: 'magnitude', keep: 37 }).dataSync());
    expect(Array.from(got)).toEqual(Array.from(magnitudeMask(w, 1 - 37 / 200)));
  });

  it('magnitude masks on wasm (the host selection on the heap) equal the host mask, NaN and ties included', async () => {
    const w = weights(3 * 3 * 16 * 24);
    w[7] = NaN;
    const keepOf = [1, 777, 3455];
    await setupNodeBackend('wasm');
    try {
      expect(wasmMagnitudeMaskAvailable()).toBe(true);
      for (const keep of keepOf) {
        const got = Array.from(tf.tidy(() => deviceMask(tf.tensor(w, [3, 3, 16, 24]), { kind: 'magnitude', keep }).dataSync()));
        expect(got.reduce((a, b) => a + b, 0)).toBe(keep);
        expect(got, `keep ${keep}`).toEqual(Array.from(magnitudeMaskKeeping(w, keep)));
      }
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('N:M masks on wasm (one host pass on the heap) equal the host mask: conv, depthwise and dense kernels, NaN and ties included', async () => {
    await setupNodeBackend('wasm');
    try {
      expect(wasmNmMaskAvailable()).toBe(true);
      for (const [shape, n, m] of [[[5, 5, 32, 64], 2, 4], [[3, 3, 16, 1], 1, 4], [[1024, 64], 2, 4], [[16, 5], 4, 8]] as [number[], number, number][]) {
        const w = weights(shape.reduce((a, b) => a * b, 1));
        w[3] = NaN;
        const got = Array.from(tf.tidy(() => deviceMask(tf.tensor(w, shape), { kind: 'nm', n, m }).dataSync()));
        expect(got, `[${shape.join(', ')}] ${n}:${m}`).toEqual(Array.from(nmMask(w, shape, n, m)));
      }
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
