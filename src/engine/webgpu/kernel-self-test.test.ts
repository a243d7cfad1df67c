import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupNodeBackend } from '../../node/backend';
import { hostMask } from '../pipeline/weights';
import { checkKernels, webgpuKernelSelfTest, type MaskKernels } from './kernel-self-test';

/**
 * Stand-ins that compute what the kernels should: host masks (the generic device paths differ on
 * the infinite and NaN cases) and the update by generic ops with the cached coef.
 */
const onHost = (w: tf.Tensor, spec: Parameters<typeof hostMask>[2]) => tf.tensor(Float32Array.from(hostMask(w.dataSync() as Float32Array, w.shape, spec)), w.shape);
const generic: MaskKernels = {
  magnitude: (w, keep) => onHost(w, { kind: 'magnitude', keep }),
  nm: (w, n, m) => onHost(w, { kind: 'nm', n, m }),
  update: (u) => {
    const velocity = tf.add(tf.mul(u.velocity, u.momentum), tf.add(u.g, tf.mul(u.coef, u.dense)));
    return { velocity, dense: tf.sub(u.dense, tf.mul(velocity, u.lr)) };
  },
};

describe('checkKernels', () => {
  beforeAll(async () => {
    await setupNodeBackend('cpu');
  });

  it('passes kernels that compute what the references do, and leaves no tensor behind', async () => {
    const n = tf.memory().numTensors;
    expect(await checkKernels(generic)).toBeNull();
    expect(tf.memory().numTensors).toBe(n);
  });

  it('counts the places where a mask or the update is off', async () => {
    const problem = await checkKernels({
      ...generic,
      // Keeps one weight too many: the first pruned weight of every layer.
      magnitude: (w, keep) => tf.tidy(() => {
        const m = generic.magnitude(w, keep);
        const flat = tf.reshape(m, [m.size]);
        const first = tf.argMin(flat);
        return tf.reshape(tf.maximum(flat, tf.oneHot(first, m.size, 1, 0, 'float32')), w.shape);
      }),
      update: (u) => generic.update({ ...u, lr: u.lr * 1.001 }),
    });
    expect(problem).toMatch(/magnitude keep 1 mask of a \[3, 3, 32, 64\] kernel differs from the reference in 1 of 18432 places/);
    expect(problem).toMatch(/masked update of a \[7, 5\] kernel differs from the generic ops in \d+ of 70 places/);
  });

  it('refuses to pass where WebGPU is not the backend', async () => {
    expect(await webgpuKernelSelfTest()).toMatch(/not webgpu/);
  });
});
