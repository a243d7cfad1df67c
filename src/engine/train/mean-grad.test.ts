import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setupNodeBackend } from '../../node/backend';
import { normals } from '../wasm-grad/wasm-grad.test-helpers';
import { meanGradConfig } from './mean-grad';

const SHAPE = [4, 5, 6, 3];
const CASES: [string, number | number[], boolean][] = [
  ['BatchNorm moments: all but channels, keepDims', [0, 1, 2], true],
  ['one middle axis', 1, false],
  ['negative axes', [-1, -3], false],
  ['everything', [0, 1, 2, 3], false],
];

/** Gradient of a weighted sum of mean(x) w.r.t. x, for each case. */
async function grads(): Promise<Float32Array[]> {
  const x = tf.tensor(normals(4 * 5 * 6 * 3, 1), SHAPE);
  const out: Float32Array[] = [];
  for (const [, axis, keepDims] of CASES) {
    const g = tf.grad((xx: tf.Tensor) => {
      const m = tf.mean(xx, axis, keepDims);
      return tf.sum(tf.mul(m, tf.tensor(normals(m.size, 2), m.shape)));
    })(x);
    out.push((await g.data()) as Float32Array);
    g.dispose();
  }
  x.dispose();
  return out;
}

describe('Mean gradient with a backend Fill', () => {
  it('gives TF.js\'s own values exactly, on cpu and wasm, and is the one in use once registered', async () => {
    const before: Float32Array[][] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await setupNodeBackend(backend);
      before.push(await grads());
    }
    const fills = async () => (await tf.profile(async () => void (await grads()))).kernels.filter((k) => k.name === tf.Fill).length;
    // TF.js's own gradient builds its ones on the host: no Fill kernel.
    expect(await fills()).toBe(0);
    tf.registerGradient(meanGradConfig);
    for (const [i, backend] of (['cpu', 'wasm'] as const).entries()) {
      await setupNodeBackend(backend);
      const after = await grads();
      after.forEach((g, k) => expect(Array.from(g), `${backend}, ${CASES[k]![0]}`).toEqual(Array.from(before[i]![k]!)));
    }
    expect(await fills()).toBe(CASES.length);
  });
});
