import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupNodeBackend } from '../../node/backend';
import { batchNormKernelsActive } from '../wasm-grad/batch-norm';
import { simdBatchNormApplies } from '../wasm-grad/simd/simd-kernels';
import { installLeanTraining } from './lean-training';

/** conv -> BN -> act -> depthwise -> BN -> act -> pool -> dense, with seeded weights; 'relu6 layer' is a ReLU layer capped at 6. */
function block(activation: 'relu' | 'relu6' | 'relu6 layer', filters = 6): tf.LayersModel {
  const act = () => (activation === 'relu6 layer' ? tf.layers.reLU({ maxValue: 6 }) : tf.layers.activation({ activation }));
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [9, 9, 3], filters, kernelSize: 3, useBias: false, kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }));
  m.add(tf.layers.batchNormalization({ momentum: 0.9, betaInitializer: 'ones', gammaInitializer: tf.initializers.randomNormal({ mean: 1, stddev: 0.3, seed: 2 }) }));
  m.add(act());
  m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, useBias: false, depthwiseInitializer: tf.initializers.glorotNormal({ seed: 3 }) }));
  m.add(tf.layers.batchNormalization({ epsilon: 1e-5 }));
  m.add(act());
  m.add(tf.layers.globalAveragePooling2d({}));
  m.add(tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }));
  return m;
}

/** Loss, gradients and moving statistics after one taped training forward. */
function trainingPass(m: tf.LayersModel, x: tf.Tensor) {
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
    const y = m.apply(x, { training: true }) as tf.Tensor;
    return tf.sum(tf.mul(y, tf.linspace(-1, 1, y.size).reshape(y.shape))) as tf.Scalar;
  }), vars);
  const moving = m.weights.filter((w) => w.name.includes('moving')).map((w) => Array.from(w.read().dataSync()));
  const out = { loss: value.dataSync()[0]!, grads: vars.map((v) => Array.from(grads[v.name]!.dataSync())), moving };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

const close = (a: number[], b: number[], tol: number) => a.every((v, i) => Math.abs(v - b[i]!) <= tol * (1 + Math.abs(b[i]!)));

describe('lean training layers', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  // On wasm with 8 channels BN runs the SIMD kernels (wasm-grad/batch-norm.ts), the activation inside them; 6 channels compose tf ops.
  const cases = [
    { activation: 'relu', backend: 'cpu', filters: 6 },
    { activation: 'relu6', backend: 'cpu', filters: 6 },
    { activation: 'relu6', backend: 'wasm', filters: 8 },
    { activation: 'relu', backend: 'wasm', filters: 8 },
    { activation: 'relu6 layer', backend: 'wasm', filters: 8 },
    { activation: 'relu6 layer', backend: 'wasm', filters: 6 },
  ] as const;
  for (const { activation, backend, filters } of cases) {
    it(`give ${activation} blocks the same loss, gradients and moving statistics as TF.js's own layers (${backend}, ${filters} channels)`, async () => {
      await setupNodeBackend(backend);
      expect(batchNormKernelsActive()).toBe(backend === 'wasm');
      expect(simdBatchNormApplies(filters)).toBe(filters % 4 === 0);
      // Inputs scaled so some ReLU6 outputs saturate at 6 and some are cut at 0.
      const x = tf.mul(tf.randomNormal([5, 9, 9, 3], 0, 1, 'float32', 7), 4);
      const own = block(activation, filters);
      const lean = block(activation, filters);
      lean.setWeights(own.getWeights());
      installLeanTraining(lean);
      installLeanTraining(lean);
      const a = trainingPass(own, x);
      const b = trainingPass(lean, x);
      expect(b.loss).toBeCloseTo(a.loss, 4);
      expect(b.grads.length).toBe(a.grads.length);
      b.grads.forEach((g, i) => expect(close(g, a.grads[i]!, 1e-4), `gradient ${i}`).toBe(true));
      b.moving.forEach((g, i) => expect(close(g, a.moving[i]!, 1e-5), `moving statistic ${i}`).toBe(true));
      // Inference is the layers' own.
      const pa = own.predict(x) as tf.Tensor;
      const pb = lean.predict(x) as tf.Tensor;
      expect(close(Array.from(pb.dataSync()), Array.from(pa.dataSync()), 1e-6)).toBe(true);
      // Where the SIMD kernels apply, no activation kernel runs of its own, forward or backward (a
      // further training pass: last, as it moves the statistics again).
      const kernels = (await tf.profile(() => tf.dispose(trainingPass(lean, x) && []))).kernels.map((k) => k.name);
      const activationKernels = kernels.filter((k) => ['Relu', 'Relu6', 'PtsReluGrad', 'ClipByValue', 'ReluGrad', 'Relu6Grad'].includes(k));
      if (backend === 'wasm' && filters % 4 === 0) expect(activationKernels).toEqual([]);
      else expect(activationKernels.length).toBeGreaterThan(0);
      tf.dispose([x, pa, pb]);
      own.dispose();
      lean.dispose();
      await tf.setBackend('cpu');
    });
  }

  it('keeps fewer bytes alive at the peak of a training step', async () => {
    const x = tf.randomNormal([8, 9, 9, 3], 0, 1, 'float32', 8);
    const peak = async (m: tf.LayersModel) => (await tf.profile(() => tf.dispose(trainingPass(m, x) && []))).peakBytes;
    const own = block('relu6');
    const lean = block('relu6');
    installLeanTraining(lean);
    const [po, pl] = [await peak(own), await peak(lean)];
    expect(pl).toBeLessThan(po * 0.75);
    tf.dispose(x);
    own.dispose();
    lean.dispose();
  });
});
