import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setupNodeBackend } from '../../node/backend';
import { maskSelfTest } from './self-test';

describe('maskSelfTest', () => {
  it.each(['cpu', 'wasm'])('passes on %s and leaves no tensor behind', async (backend) => {
    await setupNodeBackend(backend);
    const n = tf.memory().numTensors;
    expect(await maskSelfTest()).toBeNull();
    expect(tf.memory().numTensors).toBe(n);
  });

  it('reports a backend whose masks are wrong', async () => {
    await setupNodeBackend('cpu');
    // A broken top-k (every index shifted by one) stands in for a miscomputing kernel.
    const topk = tf.getKernel('TopK', 'cpu')!;
    tf.unregisterKernel('TopK', 'cpu');
    tf.registerKernel({
      ...topk,
      kernelFunc: (args) => {
        const [values, indices] = topk.kernelFunc(args) as tf.TensorInfo[];
        const shifted = tf.tidy(() => tf.mod(tf.add(tf.engine().makeTensorFromTensorInfo(indices!), tf.scalar(1, 'int32')), tf.scalar(64, 'int32')));
        return [values!, shifted];
      },
    });
    try {
      expect(await maskSelfTest()).toMatch(/differs from the reference in \d+ of/);
    } finally {
      tf.unregisterKernel('TopK', 'cpu');
      tf.registerKernel(topk);
    }
  });
});
