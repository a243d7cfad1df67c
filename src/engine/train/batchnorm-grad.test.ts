import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setupNodeBackend } from '../../node/backend';
import { normals, relativeError } from '../wasm-grad/wasm-grad.test-helpers';
import { registerTrainingGradients } from './batchnorm-grad';

/** Gradients of a weighted sum of batch-normalised x (batch statistics, as in training) w.r.t. x, scale, offset. */
async function grads(): Promise<Float32Array[]> {
  const x = tf.tensor4d(normals(4 * 5 * 5 * 3, 1), [4, 5, 5, 3]);
  const scale = tf.tensor1d(normals(3, 2));
  const offset = tf.tensor1d(normals(3, 3));
  const w = tf.tensor4d(normals(4 * 5 * 5 * 3, 4), [4, 5, 5, 3]);
  const f = (xx: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
    const { mean, variance } = tf.moments(xx, [0, 1, 2]);
    return tf.sum(tf.mul(tf.batchNorm(xx, mean, variance, o, s, 1e-3), w));
  };
  const gs = tf.grads(f)([x, scale, offset]);
  const out = await Promise.all(gs.map(async (g) => (await g.data()) as Float32Array));
  tf.dispose([x, scale, offset, w, ...gs]);
  return out;
}

describe('FusedBatchNorm gradient without Tile', () => {
  it('matches TF.js\'s own gradient on cpu and wasm', async () => {
    const before: Float32Array[][] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await setupNodeBackend(backend);
      before.push(await grads());
    }
    // TF.js's own gradient tiles; ours must not (checked below).
    expect((await tf.profile(async () => void (await grads()))).kernelNames).toContain('Tile');
    registerTrainingGradients();
    for (const [i, backend] of (['cpu', 'wasm'] as const).entries()) {
      await setupNodeBackend(backend);
      const after = await grads();
      after.forEach((g, k) => expect(relativeError(before[i]![k]!, g), `${backend}, input ${k}`).toBeLessThan(1e-5));
      expect(after[0]!.some((v) => v !== 0)).toBe(true);
    }
  });

  it('is the gradient in use once registered: no Tile in the backward pass', async () => {
    await setupNodeBackend('wasm');
    const kernels = async () => (await tf.profile(async () => void (await grads()))).kernelNames;
    registerTrainingGradients();
    expect(await kernels()).not.toContain('Tile');
  });

  it('leaves no tensor behind', async () => {
    registerTrainingGradients();
    await setupNodeBackend('cpu');
    await grads();
    const n = tf.memory().numTensors;
    await grads();
    expect(tf.memory().numTensors).toBe(n);
  });
});
