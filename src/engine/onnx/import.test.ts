import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFolder } from '../../node/files';
import { decodeNode } from '../../node/decode';
import { toTensor } from '../data/preprocess';
import { cloneModel } from '../model/clone';
import { findPrunableKernels } from '../model/prunable';
import { StudioSession } from '../session';
import { importOnnx } from './import-model';
import { maxAbsDiff, onnxAsset, ortLogits, toNchw } from './assets.test-helpers';

const ASSETS = ['resnet32.onnx', 'resnet56-bn.onnx'] as const;

describe('ONNX import of the CIFAR-10 ResNets', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const name of ASSETS) {
    it(`${name}: logits match ONNX Runtime to 1e-4 on real CIFAR-10 images and on wide-range noise`, async () => {
      const file = onnxAsset(name);
      const { model, source } = await importOnnx([file]);
      const session = new StudioSession({ decode: decodeNode, backend: 'cpu' });
      await session.loadModel([file]);
      const images = (await readFolder('public/demo/cifar10/images')).filter((_, i) => i % 20 === 0);
      await session.loadImages(images);
      // The dataset is private to the session; rebuild the same batch through the public preprocessing path.
      const ds = (session as unknown as { dataset: Parameters<typeof toTensor>[0] }).dataset;
      const n = ds.count;
      const x = toTensor(ds, Array.from({ length: n }, (_, i) => i), 'imagenet');
      const noise = tf.randomUniform([3, 32, 32, 3], -4, 4, 'float32', 7);
      const batch = tf.concat([x, noise]);
      const nhwc = (await batch.data()) as Float32Array;
      const ours = (await (model.predict(batch) as tf.Tensor).data()) as Float32Array;
      const ref = await ortLogits(file.bytes, toNchw(nhwc, n + 3, 32, 32, 3), [n + 3, 3, 32, 32]);
      expect(ours.length).toBe((n + 3) * 10);
      expect(maxAbsDiff(ours, ref)).toBeLessThanOrEqual(1e-4);
      // The logits are not trivially equal (e.g. all zeros): classes differ between images.
      expect(new Set(Array.from({ length: n }, (_, i) => ref.slice(i * 10, i * 10 + 10).indexOf(Math.max(...ref.slice(i * 10, i * 10 + 10))))).size).toBeGreaterThan(3);
      expect(source.opset).toBe(13);
      tf.dispose([x, noise, batch]);
      model.dispose();
      session.dispose();
    }, 600_000);
  }

  it('keeps ONNX node names as layer names and finds every conv and the Gemm as prunable', async () => {
    const { model } = await importOnnx([onnxAsset('resnet32.onnx')]);
    const kernels = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false });
    expect(kernels.map((k) => k.summary.name)).toContain('layer1/layer1.0/conv1/Conv');
    expect(kernels.at(-1)!.summary).toMatchObject({ name: 'linear/Gemm', kind: 'dense', shape: [64, 10] });
    expect(kernels.filter((k) => k.summary.kind === 'conv2d')).toHaveLength(31);
    model.dispose();
  });

  it('resnet56-bn keeps its 55 BatchNorm layers (BN re-estimation applies); resnet32 has none', async () => {
    const s = new StudioSession({ decode: decodeNode, backend: 'cpu' });
    const bn = await s.loadModel([onnxAsset('resnet56-bn.onnx')]);
    expect(bn.layerClasses['BatchNormalization']).toBe(55);
    expect(bn.hasBatchNorm).toBe(true);
    expect(bn.format).toMatch(/^ONNX \(opset 13, pytorch/);
    expect(bn.onnxOps).toMatchObject({ Conv: 55, BatchNormalization: 55, Gemm: 1, Slice: 6, Pad: 3 });
    expect(bn.suggestedPreprocess).toBe('imagenet');
    expect(bn.inputShape).toEqual([32, 32, 3]);
    expect(bn.numClasses).toBe(10);
    const folded = await s.loadModel([onnxAsset('resnet32.onnx')]);
    expect(folded.hasBatchNorm).toBe(false);
    expect(folded.name).toBe('resnet32');
    s.dispose();
  });

  it('a saved and reloaded import (custom slice/pad layers included) computes the same logits', async () => {
    const { model } = await importOnnx([onnxAsset('resnet32.onnx')]);
    const copy = await cloneModel(model);
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 3);
    const a = model.predict(x) as tf.Tensor;
    const b = copy.predict(x) as tf.Tensor;
    expect(maxAbsDiff(await a.data(), await b.data())).toBe(0);
    expect(copy.layers.some((l) => l.getClassName() === 'OnnxSlice')).toBe(true);
    tf.dispose([x, a, b]);
    model.dispose();
    copy.dispose();
  }, 300_000);

  it('importing leaves no tensors behind beyond the model weights', async () => {
    const before = tf.memory().numTensors;
    const { model } = await importOnnx([onnxAsset('resnet32.onnx')]);
    const weights = model.weights.length;
    expect(tf.memory().numTensors - before).toBe(weights);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
