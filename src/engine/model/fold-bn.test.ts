import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readModelFolder } from '../../node/files';
import { MOBILENET_DIR } from '../../node/assets.test-helpers';
import { reestimateBatchNorm } from '../train/bn-reestimate';
import { installBnFolding } from './fold-bn';
import { loadModelFromFiles } from './load';

/** conv(bias) -> BN -> relu6 -> depthwise(x2) -> BN -> ReLU -> conv feeding BN and a skip add -> relu -> pool -> dense. */
function mixed(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed });
  const input = tf.input({ shape: [9, 9, 3] });
  let h = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: true, kernelInitializer: init(1), biasInitializer: init(2) }).apply(input) as tf.SymbolicTensor;
  const bn = (seed: number) => tf.layers.batchNormalization({ gammaInitializer: init(seed), betaInitializer: init(seed + 1), movingMeanInitializer: init(seed + 2), movingVarianceInitializer: tf.initializers.constant({ value: 0.7 }) });
  h = bn(3).apply(h) as tf.SymbolicTensor;
  h = tf.layers.activation({ activation: 'relu6' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, depthMultiplier: 2, useBias: false, depthwiseInitializer: init(7) }).apply(h) as tf.SymbolicTensor;
  h = bn(8).apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
  // This conv's output also feeds the add, so it must not fold.
  const c = tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false, kernelInitializer: init(12) }).apply(h) as tf.SymbolicTensor;
  const n = bn(13).apply(c) as tf.SymbolicTensor;
  h = tf.layers.add().apply([c, n]) as tf.SymbolicTensor;
  // After an add, not a BN: stays a pass of its own.
  h = tf.layers.activation({ activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, kernelInitializer: init(20) }).apply(h) as tf.SymbolicTensor });
}

const maxRelDiff = (a: tf.Tensor, b: tf.Tensor) => {
  const x = Array.from(a.dataSync());
  const y = Array.from(b.dataSync());
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!) / (1e-3 + Math.abs(y[i]!))), 0);
};

describe('BatchNorm folded into the conv for inference', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives the unfolded model\'s predictions, folds exactly the convs whose only consumer is a BN, and follows weight changes', async () => {
    const plain = mixed();
    const fast = mixed();
    fast.setWeights(plain.getWeights());
    installBnFolding(fast);
    installBnFolding(fast);
    const x = tf.randomNormal([4, 9, 9, 3], 0, 1, 'float32', 5);
    const [a, b] = [plain.predict(x) as tf.Tensor, fast.predict(x) as tf.Tensor];
    expect(maxRelDiff(b, a)).toBeLessThan(1e-4);
    // Two FusedBatchNorm passes are gone (the first two BNs), the third (conv with two consumers) stays.
    const kernels = async (m: tf.LayersModel) => (await tf.profile(() => tf.dispose(m.predict(x) as tf.Tensor))).kernels.map((k) => k.name);
    expect((await kernels(plain)).filter((k) => k === 'FusedBatchNorm')).toHaveLength(3);
    expect((await kernels(fast)).filter((k) => k === 'FusedBatchNorm')).toHaveLength(1);
    // The relu6 and the ReLU layer after the folded BNs run inside their convs; the relu after the add does not.
    // (tfjs-layers' relu6 is a Relu then a Minimum; the lean training layers' is one Relu6.)
    const relus = async (m: tf.LayersModel) => (await kernels(m)).filter((k) => k === 'Relu' || k === 'Relu6').length;
    expect(await relus(plain)).toBe(3);
    expect(await relus(fast)).toBe(1);
    // BN re-estimation sees the raw conv outputs (the fold steps aside), then the fold uses the new statistics.
    const batches = () => [0, 1].map((s) => tf.randomNormal([6, 9, 9, 3], 0.3, 1.2, 'float32', 30 + s));
    await reestimateBatchNorm(plain, batches(), 0);
    await reestimateBatchNorm(fast, batches(), 0);
    plain.getWeights().forEach((w, i) => expect(maxRelDiff(fast.getWeights()[i]!, w), `weight ${i}`).toBeLessThan(1e-4));
    const [a2, b2] = [plain.predict(x) as tf.Tensor, fast.predict(x) as tf.Tensor];
    expect(maxRelDiff(a2, a)).toBeGreaterThan(1e-2);
    expect(maxRelDiff(b2, a2)).toBeLessThan(1e-4);
    tf.dispose([x, a, b, a2, b2]);
    plain.dispose();
    fast.dispose();
  });

  it('matches MobileNet v1 0.25 unfolded (real weights)', async () => {
    const files = await readModelFolder(join(MOBILENET_DIR, 'model.json'));
    const plain = await loadModelFromFiles(files);
    const fast = await loadModelFromFiles(files);
    installBnFolding(fast);
    const x = tf.randomUniform([2, 224, 224, 3], -1, 1, 'float32', 3);
    const [a, b] = [plain.predict(x) as tf.Tensor, fast.predict(x) as tf.Tensor];
    // Softmax outputs: compare absolutely.
    const bv = b.dataSync();
    const d = Array.from(a.dataSync()).reduce((m, v, i) => Math.max(m, Math.abs(v - bv[i]!)), 0);
    expect(d).toBeLessThan(1e-5);
    expect(tf.argMax(a, 1).arraySync()).toEqual(tf.argMax(b, 1).arraySync());
    tf.dispose([x, a, b]);
    plain.dispose();
    fast.dispose();
  }, 60_000);
});
