import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readModelFolder } from '../../node/files';
import { MOBILENET_DIR } from '../../node/assets.test-helpers';
import { loadModelFromFiles } from '../model/load';
import { registerWasmTrainingKernels } from './index';
import { normals, relativeError } from './wasm-grad.test-helpers';

type Head = 'gap' | 'max' | 'avg';

/** conv s2 + BN + relu6, depthwise s2 + BN + ReLU(6), pointwise conv, then the head, dense softmax. */
function smallCnn(head: Head): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 8, kernelSize: 3, strides: 2, padding: 'same' }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.activation({ activation: 'relu6' }));
  m.add(tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }));
  m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'valid', useBias: false }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.reLU({ maxValue: 6 }));
  m.add(tf.layers.conv2d({ filters: 12, kernelSize: 1, activation: 'relu' }));
  if (head === 'gap') m.add(tf.layers.globalAveragePooling2d({}));
  else {
    m.add(head === 'max' ? tf.layers.maxPooling2d({ poolSize: 2 }) : tf.layers.averagePooling2d({ poolSize: 2 }));
    m.add(tf.layers.flatten());
  }
  m.add(tf.layers.dropout({ rate: 0 }));
  m.add(tf.layers.dense({ units: 5, activation: 'softmax' }));
  // Seeded weights, so the model is the same on every run.
  m.setWeights(m.getWeights().map((w, i) => tf.tensor(normals(w.size, 100 + i).map((v) => 0.3 * v), w.shape)));
  return m;
}

function mlp(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [20], units: 16, activation: 'relu' }),
      tf.layers.dropout({ rate: 0 }),
      tf.layers.dense({ units: 5, activation: 'softmax' }),
    ],
  });
  m.setWeights(m.getWeights().map((w, i) => tf.tensor(normals(w.size, 200 + i).map((v) => 0.3 * v), w.shape)));
  return m;
}

function trainables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Cross-entropy of the model in training mode on (x, one-hot y): its value and gradients. */
function lossAndGrads(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  return tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, trainables(model));
}

/** Loss and every gradient, as plain arrays, computed on `backend`. */
async function gradientsOn(backend: 'cpu' | 'wasm', model: tf.LayersModel, x: Float32Array, xShape: number[]): Promise<Map<string, Float32Array>> {
  await tf.setBackend(backend);
  const n = xShape[0]!;
  const out = new Map<string, Float32Array>();
  tf.tidy(() => {
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 5), 'int32'), 5);
    const { value, grads } = lossAndGrads(model, tf.tensor(x, xShape), y);
    out.set('loss', value.dataSync() as Float32Array);
    for (const [k, g] of Object.entries(grads)) out.set(k, g.dataSync() as Float32Array);
  });
  return out;
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('training on wasm', () => {
  it.each(['gap', 'max', 'avg'] as const)('small CNN (%s head): loss and every gradient match cpu', async (head) => {
    await tf.setBackend('cpu');
    const model = smallCnn(head);
    const shape = [6, 16, 16, 3];
    const x = normals(6 * 16 * 16 * 3, 7);
    const want = await gradientsOn('cpu', model, x, shape);
    const got = await gradientsOn('wasm', model, x, shape);
    expect([...got.keys()]).toEqual([...want.keys()]);
    expect(want.size).toBe(1 + model.trainableWeights.length);
    // A conv bias feeding BatchNorm has an exactly-zero gradient: measure it against a floor, not its own round-off.
    for (const [k, w] of want) expect(relativeError(w, got.get(k)!, 1e-3), k).toBeLessThan(1e-4);
    model.dispose();
  });

  it('Dense-only MLP: loss and every gradient match cpu', async () => {
    await tf.setBackend('cpu');
    const model = mlp();
    const x = normals(8 * 20, 8);
    const want = await gradientsOn('cpu', model, x, [8, 20]);
    const got = await gradientsOn('wasm', model, x, [8, 20]);
    for (const [k, w] of want) expect(relativeError(w, got.get(k)!), k).toBeLessThan(1e-5);
    model.dispose();
  });

  it('leaks nothing: tensors, bytes and wasm buffers are flat over 20 SGD steps', async () => {
    await tf.setBackend('wasm');
    const model = smallCnn('gap');
    const vars = trainables(model);
    const x = tf.tensor4d(normals(4 * 16 * 16 * 3, 9), [4, 16, 16, 3]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 5));
    const step = () =>
      tf.tidy(() => {
        const { value, grads } = lossAndGrads(model, x, y);
        for (const v of vars) v.assign(tf.sub(v, tf.mul(0.01, grads[v.name]!)));
        return value;
      });
    step().dispose();
    const before = { ...tf.memory(), ids: tf.engine().backend.numDataIds() };
    const losses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const l = step();
      losses.push((await l.data())[0]!);
      l.dispose();
    }
    const after = { ...tf.memory(), ids: tf.engine().backend.numDataIds() };
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.ids).toBe(before.ids);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[19]!).toBeLessThan(losses[0]!);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('MobileNet v1 0.25 (real asset) trains on wasm', () => {
  it('one step at batch 2: 83 finite gradients, conv and depthwise kernels included', async () => {
    await tf.setBackend('wasm');
    const model = await loadModelFromFiles(await readModelFolder(join(MOBILENET_DIR, 'model.json')));
    const before = tf.memory().numTensors;
    const x = tf.tensor4d(normals(2 * 96 * 96 * 3, 10), [2, 96, 96, 3]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([1, 2], 'int32'), 1000));
    const { value, grads } = lossAndGrads(model, x, y);
    const names = Object.keys(grads);
    expect(names.length).toBe(83);
    expect(names).toContain('conv1/kernel');
    expect(names).toContain('conv_dw_2/depthwise_kernel');
    for (const g of Object.values(grads)) {
      const v = await g.data();
      expect(v.every(Number.isFinite)).toBe(true);
    }
    expect(Number.isFinite((await value.data())[0]!)).toBe(true);
    tf.dispose([value, x, y, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
