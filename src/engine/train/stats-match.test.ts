import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { magnitudeMask } from '../../core/masks/magnitude';
import { setupNodeBackend } from '../../node/backend';
import { decodeNode } from '../../node/decode';
import { readFolder } from '../../node/files';
import { buildDataset } from '../data/dataset';
import { inputGeometry, toTensor } from '../data/preprocess';
import { importOnnx } from '../onnx/import-model';
import { onnxAsset } from '../onnx/assets.test-helpers';
import { findPrunableKernels } from '../model/prunable';
import { matchedScale, matchOutputStatistics, regrowableKernel, rememberDenseWeights, removeMatch } from './stats-match';

/** Per-channel mean and std of `y` over every axis but the last. */
function channelStats(y: tf.Tensor): { mean: Float32Array; std: Float32Array } {
  return tf.tidy(() => {
    const m = tf.moments(y, [...Array(y.rank - 1).keys()]);
    return { mean: m.mean.dataSync() as Float32Array, std: tf.sqrt(m.variance).dataSync() as Float32Array };
  });
}

/** Writes magnitude masks at `sparsity` into every kernel; returns the masks. */
function prune(model: tf.LayersModel, sparsity: number): Uint8Array[] {
  return findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false }).map((k) => {
    const w = k.variable.read().dataSync() as Float32Array;
    const mask = magnitudeMask(w, sparsity);
    k.variable.write(tf.tensor(w.map((v, j) => (mask[j] ? v : 0)), k.variable.shape as number[]));
    return mask;
  });
}

describe('output-statistics match (models without BatchNorm)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives every layer the dense per-channel mean and std before its activation, keeps the zeros, and is stable', () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const init = (seed: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed });
    const c1 = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), biasInitializer: init(2), name: 'c1' });
    const c2 = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', kernelInitializer: init(3), biasInitializer: init(4), name: 'c2' });
    const d = tf.layers.dense({ units: 5, kernelInitializer: init(5), biasInitializer: init(6), name: 'd' });
    const h2 = c2.apply(c1.apply(input)) as tf.SymbolicTensor;
    const out = d.apply(tf.layers.flatten().apply(tf.layers.reLU().apply(h2))) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const probe = tf.model({ inputs: input, outputs: [h2, out] });
    const x = tf.randomNormal([16, 8, 8, 3], 0, 1, 'float32', 7);
    // c1's activation is fused: its pre-activation is the conv plus bias, computed here by hand.
    const pre1 = () => tf.tidy(() => tf.add(tf.conv2d(x as tf.Tensor4D, c1.getWeights()[0] as tf.Tensor4D, 1, 'same'), c1.getWeights()[1]!));
    const stats = () => {
      const [y2, y3] = probe.predict(x) as tf.Tensor[];
      const p1 = pre1();
      const s = [channelStats(p1), channelStats(y2!), channelStats(y3!)];
      tf.dispose([p1, y2!, y3!]);
      return s;
    };
    rememberDenseWeights(model);
    const denseValues = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false }).map((k) => k.variable.read().dataSync().slice());
    const denseBias = c2.getWeights()[1]!.dataSync().slice();
    const dense = stats();
    const masks = prune(model, 0.8);
    const pruned = stats();
    // Pruning shrank the outputs: the check below can tell matched from not.
    expect(Math.min(...pruned.map((s, i) => s.std.reduce((a, v) => a + v, 0) / dense[i]!.std.reduce((a, v) => a + v, 0)))).toBeLessThan(0.8);

    expect(matchOutputStatistics(model, () => [x.clone()], 'one batch')).toBe(3);
    const matched = stats();
    matched.forEach((s, i) => {
      const scale = Math.max(...dense[i]!.std);
      for (let c = 0; c < s.mean.length; c++) {
        expect(Math.abs(s.mean[c]! - dense[i]!.mean[c]!)).toBeLessThan(2e-3 * scale);
        expect(Math.abs(s.std[c]! - dense[i]!.std[c]!)).toBeLessThan(2e-3 * scale);
      }
    });
    // The masks' zeros stay zeros, and the kept weights stay kept.
    const kernels = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false });
    kernels.forEach((k, i) => {
      const w = k.variable.read().dataSync();
      for (let j = 0; j < w.length; j++) expect(w[j] !== 0).toBe(masks[i]![j] === 1);
    });
    // A second match on the same batch changes almost nothing: biases restart from the dense ones.
    const before = kernels.map((k) => k.variable.read().dataSync().slice());
    matchOutputStatistics(model, () => [x.clone()], 'one batch');
    kernels.forEach((k, i) => {
      const w = k.variable.read().dataSync();
      for (let j = 0; j < w.length; j++) expect(Math.abs(w[j]! - before[i]![j]!)).toBeLessThanOrEqual(1e-3 * Math.abs(before[i]![j]!) + 1e-7);
    });
    // matchedScale is the per-channel scale the last match folded into each kernel as it stood.
    kernels.forEach((k, i) => {
      const scale = matchedScale(model, k.variable)!;
      expect(scale).not.toBeNull();
      const w = k.variable.read().dataSync();
      for (let j = 0; j < w.length; j++) if (masks[i]![j]) expect(w[j]! / before[i]![j]!).toBeCloseTo(scale[j % scale.length]!, 4);
    });
    // removeMatch puts the pruned model without the match back: dense kept weights, zeros kept, dense biases.
    expect(removeMatch(model)).toBe(true);
    kernels.forEach((k, i) => {
      const w = k.variable.read().dataSync();
      for (let j = 0; j < w.length; j++) expect(w[j]).toBe(masks[i]![j] ? denseValues[i]![j] : 0);
    });
    expect(Array.from(c2.getWeights()[1]!.dataSync())).toEqual(Array.from(denseBias));
    expect(matchedScale(model, kernels[0]!.variable)).toBeNull();
    x.dispose();
    model.dispose();
  });

  it('regrowableKernel starts DST from the matched kernel with the pruned weights at their dense values', () => {
    expect([...regrowableKernel(new Float32Array([1, -2, 3, 4]), new Float32Array([2.5, 0, 0, 2]))]).toEqual([2.5, -2, 3, 2]);
  });

});

describe('output-statistics match on a real model (wasm, its SIMD statistics kernel)', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('ResNet-32 (BatchNorm folded, ONNX) at 90%: one-shot rises from chance and its KL to the dense model falls', async () => {
    const { model } = await importOnnx([onnxAsset('resnet32.onnx')]);
    const { dataset: ds } = await buildDataset(await readFolder('public/demo/cifar10/images'), decodeNode, inputGeometry(model), { numClasses: 10 });
    const calib = Array.from({ length: 128 }, (_, i) => i * 2);
    const scored = Array.from({ length: ds.count }, (_, i) => i).filter((i) => !calib.includes(i));
    const xs = toTensor(ds, scored, 'imagenet');
    const denseLogits = model.predict(xs) as tf.Tensor;
    const score = () =>
      tf.tidy(() => {
        const z = model.predict(xs) as tf.Tensor2D;
        const labels = tf.tensor1d(scored.map((i) => ds.labels![i]!), 'int32');
        const top1 = tf.mean(tf.cast(tf.equal(tf.argMax(z, 1), labels), 'float32')).dataSync()[0]!;
        const kl = tf.mean(tf.sum(tf.mul(tf.softmax(denseLogits), tf.sub(tf.logSoftmax(denseLogits), tf.logSoftmax(z))), 1)).dataSync()[0]!;
        return { top1, kl };
      });
    const dense = score();
    rememberDenseWeights(model);
    prune(model, 0.9);
    const oneShot = score();
    const batches = () => [0, 64].map((o) => toTensor(ds, calib.slice(o, o + 64), 'imagenet'));
    expect(matchOutputStatistics(model, batches, 'calib')).toBe(32);
    const matched = score();
    console.log(`ResNet-32 90% on ${scored.length} CIFAR-10 images: dense ${dense.top1}, one-shot ${oneShot.top1} (KL ${oneShot.kl.toFixed(2)}), matched ${matched.top1} (KL ${matched.kl.toFixed(2)})`);
    expect(dense.top1).toBeGreaterThan(0.85);
    expect(oneShot.top1).toBeLessThan(0.2);
    expect(matched.top1).toBeGreaterThan(oneShot.top1 + 0.08);
    expect(matched.kl).toBeLessThan(0.7 * oneShot.kl);
    tf.dispose([xs, denseLogits]);
    model.dispose();
  }, 600_000);
});
