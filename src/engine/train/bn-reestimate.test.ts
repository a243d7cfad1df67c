import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupNodeBackend } from '../../node/backend';
import { batchNormKernelsActive } from '../wasm-grad/batch-norm';
import { reestimateBatchNorm } from './bn-reestimate';

describe('reestimateBatchNorm', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('sets moving statistics to the cumulative average of per-batch mean and unbiased variance', async () => {
    const conv = tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 3, name: 'conv', useBias: true, biasInitializer: 'ones' });
    const bn = tf.layers.batchNormalization({ name: 'bn', momentum: 0.9 });
    const model = tf.sequential({ layers: [conv, bn, tf.layers.flatten(), tf.layers.dense({ units: 2 })] });
    const batches = [0, 1, 2].map((s) => tf.randomNormal([4 + s, 5, 5, 2], s, 1 + s, 'float32', 10 + s));
    // Direct computation: BN sees the conv output; n = batch * 3 * 3 values per channel.
    const means: number[][] = [];
    const vars: number[][] = [];
    for (const x of batches) {
      const y = conv.apply(x) as tf.Tensor;
      const { mean, variance } = tf.moments(y, [0, 1, 2]);
      const n = y.shape[0]! * 9;
      means.push(Array.from(mean.dataSync()));
      vars.push(Array.from(variance.dataSync()).map((v) => (v * n) / (n - 1)));
      tf.dispose([y, mean, variance]);
    }
    const avg = (rows: number[][]) => rows[0]!.map((_, c) => rows.reduce((s, r) => s + r[c]!, 0) / rows.length);
    const copies = batches.map((b) => b.clone());
    const updated = await reestimateBatchNorm(model, copies, 0);
    expect(updated).toBe(1);
    const [, , movingMean, movingVar] = bn.getWeights();
    const gotMean = Array.from(movingMean!.dataSync());
    const gotVar = Array.from(movingVar!.dataSync());
    avg(means).forEach((v, c) => expect(gotMean[c]).toBeCloseTo(v, 4));
    avg(vars).forEach((v, c) => expect(gotVar[c]).toBeCloseTo(v, 4));
    // The layer's own call is restored: inference uses the new statistics.
    expect(Object.prototype.hasOwnProperty.call(bn, 'call')).toBe(false);
    tf.dispose(batches);
    model.dispose();
  });

  it('feeds later layers the batch-normalised activations, as training mode would', async () => {
    const bn1 = tf.layers.batchNormalization({ name: 'bn1', epsilon: 1e-3, gammaInitializer: tf.initializers.constant({ value: 2 }), betaInitializer: tf.initializers.constant({ value: 0.5 }) });
    const fc = tf.layers.dense({ units: 2, useBias: false, kernelInitializer: tf.initializers.constant({ value: 0.3 }) });
    const bn2 = tf.layers.batchNormalization({ name: 'bn2' });
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 3, useBias: false, kernelInitializer: 'identity' }), bn1, fc, bn2] });
    const x = tf.tensor2d([[1, 2, 3], [4, -1, 0], [2, 2, 7], [-3, 0.5, 1]]);
    await reestimateBatchNorm(model, [x.clone()], 0);
    const expected = tf.tidy(() => {
      const { mean, variance } = tf.moments(x, 0);
      const h = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), 2), 0.5);
      const y = tf.matMul(h, tf.fill([3, 2], 0.3));
      const m = tf.moments(y, 0);
      return [m.mean, tf.mul(m.variance, 4 / 3)];
    });
    const [gotMean, gotVar] = [bn2.getWeights()[2]!, bn2.getWeights()[3]!].map((t) => Array.from(t.dataSync()));
    const [wantMean, wantVar] = expected.map((t) => Array.from(t.dataSync()));
    gotMean!.forEach((v, c) => expect(v).toBeCloseTo(wantMean![c]!, 4));
    gotVar!.forEach((v, c) => expect(v).toBeCloseTo(wantVar![c]!, 3));
    // The dense path (a variance of 0 without batch statistics upstream) would not give this.
    expect(wantVar![0]!).toBeGreaterThan(0.1);
    tf.dispose([x, ...expected]);
    model.dispose();
  });

  it('does nothing to a model without BatchNorm', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    expect(await reestimateBatchNorm(model, [tf.ones([2, 3])], 0.1)).toBe(0);
    model.dispose();
  });

  it('gives the same statistics on wasm, where a SIMD kernel computes and applies them, as on cpu', async () => {
    // Two BNs with 8 channels (SIMD path) and one with 6 (tf ops), the first feeding the others.
    const build = () =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [7, 7, 3], filters: 8, kernelSize: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }),
          tf.layers.batchNormalization({ gammaInitializer: tf.initializers.constant({ value: 1.5 }), betaInitializer: tf.initializers.constant({ value: 0.2 }) }),
          tf.layers.reLU({ maxValue: 6 }),
          tf.layers.conv2d({ filters: 8, kernelSize: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
          tf.layers.batchNormalization({ scale: false, center: false }),
          tf.layers.conv2d({ filters: 6, kernelSize: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }),
          tf.layers.batchNormalization({}),
        ],
      });
    const statsOn = async (backend: 'cpu' | 'wasm') => {
      await setupNodeBackend(backend);
      const model = build();
      const batches = [0, 1].map((s) => tf.mul(tf.randomNormal([3, 7, 7, 3], 0, 1, 'float32', 20 + s), 2));
      await reestimateBatchNorm(model, batches, 0.05, undefined, 4);
      const moving = model.weights.filter((w) => w.name.includes('moving')).map((w) => Array.from(w.read().dataSync()));
      const active = batchNormKernelsActive();
      model.dispose();
      return { moving, active };
    };
    const cpu = await statsOn('cpu');
    const wasm = await statsOn('wasm');
    await tf.setBackend('cpu');
    expect(cpu.active).toBe(false);
    expect(wasm.active).toBe(true);
    expect(wasm.moving.length).toBe(6);
    wasm.moving.forEach((m, i) => m.forEach((v, c) => expect(v, `statistic ${i}, channel ${c}`).toBeCloseTo(cpu.moving[i]![c]!, 4)));
  });
});
