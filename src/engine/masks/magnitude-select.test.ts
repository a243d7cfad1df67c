import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { magnitudeMask } from '../../core/masks/magnitude';
import { Rng } from '../../core/rng';
import { setupNodeBackend } from '../../node/backend';
import { selectMagnitudeMask } from './magnitude-select';

/** A named layer of weights and the keep counts to try on it. */
interface Case {
  name: string;
  w: Float32Array;
  keeps: number[];
}

const rng = new Rng(11);
const uniform = (n: number) => Float32Array.from({ length: n }, () => rng.next() - 0.5);
const around = (n: number) => [1, 2, Math.floor(n / 3), Math.floor(n / 2), n - 2, n - 1];

function cases(): Case[] {
  const coarse = Float32Array.from({ length: 3000 }, () => Math.round((rng.next() - 0.5) * 6) / 2); // 7 values
  const equal = new Float32Array(500).fill(-0.25);
  // |w| from 1e-8 to 1e3, signs mixed, plus a cluster one float32 step apart.
  const wide = Float32Array.from({ length: 4000 }, () => (rng.next() < 0.5 ? -1 : 1) * 10 ** (rng.next() * 11 - 8));
  for (let i = 0; i < 50; i++) wide[i * 37] = Math.fround(1 + (i % 3) * 2 ** -23);
  const zeros = Float32Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : rng.next()));
  const nan = uniform(300);
  for (const i of [3, 100, 299]) nan[i] = NaN;
  // Neighbouring float32 values (1 + k ulp, some repeated) between a huge and many tiny weights:
  // the threshold must be resolved to one float32 step.
  const adjacent = Float32Array.from({ length: 1500 }, (_, i) =>
    i < 1000 ? 1.25 + (i % 700) * 2 ** -23 : i < 1200 ? 1 + rng.next() / 2 : i < 1400 ? 1e-8 * (i - 999) : 1e3);
  for (let i = adjacent.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [adjacent[i], adjacent[j]] = [adjacent[j]!, adjacent[i]!];
  }
  return [
    { name: 'adjacent float32 values', w: adjacent, keeps: [100, 101, 150, 400, 401, 650, 800, 1099, 1100, 1150] },
    { name: 'uniform', w: uniform(2000), keeps: around(2000) },
    { name: 'many ties at the threshold', w: coarse, keeps: [...around(3000), 1234, 1500] },
    { name: 'all equal', w: equal, keeps: around(500) },
    { name: 'all equal, larger layer', w: new Float32Array(3000).fill(0.5), keeps: around(3000) },
    { name: 'magnitudes 1e-8..1e3', w: wide, keeps: [...around(4000), 50, 51, 130] },
    { name: 'zeros and negative zeros', w: zeros, keeps: [...around(1000), 333, 334, 500, 667, 700] },
    { name: 'NaN ranks lowest', w: nan, keeps: [1, 150, 297, 298, 299] },
    { name: 'tiny values near the float32 floor', w: Float32Array.from({ length: 400 }, () => (rng.next() - 0.5) * 1e-30), keeps: around(400) },
  ];
}

const onesOf = (m: ArrayLike<number>) => Array.from(m).reduce((s, v) => s + v, 0);

for (const backend of ['cpu', 'wasm']) {
  describe(`selectMagnitudeMask on ${backend} equals the host magnitude mask`, () => {
    it.each(cases().map((c) => [c.name, c] as const))('%s', async (_, c) => {
      await setupNodeBackend(backend);
      expect(tf.getBackend()).toBe(backend);
      for (const keep of c.keeps) {
        const got = tf.tidy(() => selectMagnitudeMask(tf.tensor(c.w), keep).dataSync());
        expect(onesOf(got), `keep ${keep}`).toBe(keep);
        expect(Array.from(got), `keep ${keep}`).toEqual(Array.from(magnitudeMask(c.w, 1 - keep / c.w.length)));
      }
    });

    // One backend is enough here: the [64, n] comparisons take seconds on the pure-JS cpu one.
    it.runIf(backend === 'wasm')('a 200k-weight layer, without leaking tensors', async () => {
      await setupNodeBackend(backend);
      const w = Float32Array.from({ length: 200_000 }, () => rng.normal() * 0.05);
      const before = tf.memory().numTensors;
      for (const keep of [1, 100_000, 199_999]) {
        const got = tf.tidy(() => selectMagnitudeMask(tf.tensor(w, [50, 40, 100]), keep).dataSync());
        expect(Array.from(got).join('') === Array.from(magnitudeMask(w, 1 - keep / w.length)).join(''), `keep ${keep}`).toBe(true);
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
