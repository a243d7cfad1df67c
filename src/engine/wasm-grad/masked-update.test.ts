import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './index';
import { wasmMaskedUpdate, wasmMaskedUpdateAvailable } from './masked-update';
import { normals } from './wasm-grad.test-helpers';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('the fused masked SGD update on wasm', () => {
  it('equals the generic ops bit for bit, and leaves its inputs alone', async () => {
    expect(wasmMaskedUpdateAvailable()).toBe(true);
    const shape = [3, 3, 8, 16];
    const n = 3 * 3 * 8 * 16;
    const t = (seed: number, scale = 1) => tf.tensor(normals(n, seed).map((v) => v * scale), shape);
    const g = t(1, 0.1);
    const dense = t(2);
    const velocity = t(3, 0.01);
    const mask = tf.tidy(() => tf.cast(tf.greater(tf.abs(dense), 0.5), 'float32'));
    const coef = tf.tidy(() => tf.sub(4e-5 + 5e-5, tf.mul(mask, 5e-5)));
    const [momentum, lr] = [0.9, 0.0123];
    const before = await dense.data();
    const got = wasmMaskedUpdate({ g, dense, velocity, coef, momentum, lr });
    const wantV = tf.tidy(() => tf.addN([tf.mul(velocity, momentum), g, tf.mul(coef, dense)]));
    const wantD = tf.tidy(() => tf.sub(dense, tf.mul(wantV, lr)));
    expect(Array.from(await got.velocity.data())).toEqual(Array.from(await wantV.data()));
    expect(Array.from(await got.dense.data())).toEqual(Array.from(await wantD.data()));
    expect(got.dense.shape).toEqual(shape);
    expect(Array.from(await dense.data())).toEqual(Array.from(before));
    // The update moved the weights (the check above is not comparing two copies of the input).
    expect(Array.from(await got.dense.data())).not.toEqual(Array.from(before));
    tf.dispose([g, dense, velocity, mask, coef, got.velocity, got.dense, wantV, wantD]);
  });
});
