import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { largestGradientRatio } from './lr-probe';

describe('largestGradientRatio', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is the largest ||dL/dw|| / ||w|| over the kernels, with its index, against a gradient written out by hand', () => {
    // Two linear layers without biases; MSE on the logits: dL/dW2 = h^T (2/(N*K)) (h W2 - t), dL/dW1 = x^T ((2/(N*K)) (h W2 - t) W2^T).
    const input = tf.input({ shape: [3] });
    const l1 = tf.layers.dense({ units: 4, useBias: false, kernelInitializer: tf.initializers.randomNormal({ seed: 1 }) });
    const l2 = tf.layers.dense({ units: 2, useBias: false, kernelInitializer: tf.initializers.randomNormal({ seed: 2, stddev: 0.01 }) });
    const model = tf.model({ inputs: input, outputs: l2.apply(l1.apply(input)) as tf.SymbolicTensor });
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 3);
    const t = tf.randomNormal([5, 2], 0, 1, 'float32', 4) as tf.Tensor2D;
    const kernels = [l1, l2].map((l) => l.weights[0]!);
    const got = largestGradientRatio(kernels, x, t, (xx) => model.apply(xx) as tf.Tensor2D, { kind: 'mse', temperature: 4, tau: 8, temperStudent: true });
    const [w1, w2] = kernels.map((k) => k.read());
    const ratios = tf.tidy(() => {
      const h = tf.matMul(x, w1!);
      const d = tf.mul(tf.sub(tf.matMul(h, w2!), t), 2 / (5 * 2));
      const g2 = tf.matMul(h, d, true, false);
      const g1 = tf.matMul(x, tf.matMul(d, w2!, false, true), true, false);
      return [tf.norm(g1).dataSync()[0]! / tf.norm(w1!).dataSync()[0]!, tf.norm(g2).dataSync()[0]! / tf.norm(w2!).dataSync()[0]!];
    });
    const k = ratios[0]! > ratios[1]! ? 0 : 1;
    // The small second layer has the larger ratio: the test sees which layer wins.
    expect(k).toBe(1);
    expect(got.kernel).toBe(k);
    expect(got.ratio).toBeCloseTo(ratios[k]!, 4);
    tf.dispose([x, t]);
    model.dispose();
  });
});
