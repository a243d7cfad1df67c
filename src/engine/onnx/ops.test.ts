import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportLayersModel } from '../export/export-model';
import { cloneModel } from '../model/clone';
import { exportOnnx } from './export-onnx';
import { importOnnx } from './import-model';
import { maxAbsDiff, ortLogits, toNchw } from './assets.test-helpers';
import { attr, buildOnnx } from './fixtures.test-helpers';

/** Graphs exercising the ops and attributes the ResNets do not use, each checked against ONNX Runtime. */
const GRAPHS: Record<string, Parameters<typeof buildOnnx>[0]> = {
  'asymmetric pads, BN, ReLU6, depthwise x2 SAME_UPPER, HardSwish, padded MaxPool, Flatten of 3x3 maps, MatMul, Add, Softmax': {
    inputDims: ['N', 3, 11, 11],
    outputDims: ['N', 7],
    weights: { w1: [6, 3, 3, 3], b1: [6], s: [6], bb: [6], m: [6], var: [6], wd: [12, 1, 3, 3], mm: [108, 7], add: [7] },
    opset: 14,
    nodes: [
      ['Conv', ['x', 'w1', 'b1'], ['c1'], [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 0, 0, 1])]],
      ['BatchNormalization', ['c1', 's', 'bb', 'm', 'var'], ['bn'], [attr.float('epsilon', 1e-3)]],
      ['Constant', [], ['lo'], [{ name: 'value', type: 4, t: { dims: [], data_type: 1, float_data: [0] } }]],
      ['Constant', [], ['hi'], [{ name: 'value', type: 4, t: { dims: [], data_type: 1, float_data: [6] } }]],
      ['Clip', ['bn', 'lo', 'hi'], ['r6']],
      ['Conv', ['r6', 'wd'], ['dw'], [attr.ints('kernel_shape', [3, 3]), attr.int('group', 6), attr.str('auto_pad', 'SAME_UPPER')]],
      ['HardSwish', ['dw'], ['hs']],
      ['MaxPool', ['hs'], ['mp'], [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])]],
      ['Flatten', ['mp'], ['fl']],
      ['MatMul', ['fl', 'mm'], ['mmo']],
      ['Add', ['mmo', 'add'], ['pre']],
      ['Softmax', ['pre'], ['y'], [attr.int('axis', 1)]],
    ],
  },
  'Sigmoid, HardSigmoid, AveragePool counting pads, Transpose + Reshape, Gemm with alpha/beta, Sub and Div by constants, LeakyRelu': {
    inputDims: ['N', 3, 6, 6],
    outputDims: ['N', 5],
    weights: { w: [4, 3, 1, 1], g: [144, 5], c: [5], k: [5] },
    ints: { shape: [0, -1] },
    nodes: [
      ['Conv', ['x', 'w'], ['c1'], [attr.ints('kernel_shape', [1, 1])]],
      ['Sigmoid', ['c1'], ['s1']],
      ['HardSigmoid', ['s1'], ['h1'], [attr.float('alpha', 0.3), attr.float('beta', 0.4)]],
      ['AveragePool', ['h1'], ['ap'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.int('count_include_pad', 1)]],
      ['Transpose', ['ap'], ['tr'], [attr.ints('perm', [0, 2, 3, 1])]],
      ['Reshape', ['tr', 'shape'], ['flat']],
      ['Gemm', ['flat', 'g', 'c'], ['gm'], [attr.float('alpha', 0.5), attr.float('beta', 2)]],
      ['Sub', ['k', 'gm'], ['sb']],
      ['Div', ['sb', 'k'], ['dv']],
      ['LeakyRelu', ['dv'], ['y'], [attr.float('alpha', 0.2)]],
    ],
  },
  'Concat of two branches, reflect Pad, strided Slice with a negative step, GlobalAveragePool, Squeeze, Mul by a channel vector, Dropout, Identity': {
    inputDims: ['N', 1, 8, 8],
    outputDims: ['N', 3],
    weights: { wa: [2, 1, 3, 3], wb: [3, 1, 1, 1], fc: [3, 5], scale: [5] },
    ints: { pads: [0, 0, 1, 2, 0, 0, 1, 0], starts: [4, 0], ends: [-10, 7], axes: [1, 3], steps: [-1, 2], sq: [2, 3] },
    nodes: [
      ['Conv', ['x', 'wa'], ['a'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])]],
      ['Conv', ['x', 'wb'], ['b'], [attr.ints('kernel_shape', [1, 1])]],
      ['Concat', ['a', 'b'], ['cat'], [attr.int('axis', 1)]],
      ['Pad', ['cat', 'pads'], ['pd'], [attr.str('mode', 'reflect')]],
      ['Slice', ['pd', 'starts', 'ends', 'axes', 'steps'], ['sl']],
      ['GlobalAveragePool', ['sl'], ['gap']],
      ['Squeeze', ['gap', 'sq'], ['sq1']],
      ['Mul', ['sq1', 'scale'], ['ml']],
      ['Dropout', ['ml'], ['dr']],
      ['Identity', ['dr'], ['id']],
      ['Gemm', ['id', 'fc'], ['y'], [attr.int('transB', 1)]],
    ],
  },
};

describe('ONNX ops against ONNX Runtime', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const [name, spec] of Object.entries(GRAPHS)) {
    it(name, async () => {
      const onnx = buildOnnx(spec);
      const { model, source } = await importOnnx([{ path: 'ops.onnx', bytes: onnx.slice().buffer as ArrayBuffer }]);
      const [, c, h, w] = spec.inputDims as [string, number, number, number];
      const x = tf.randomNormal([3, h, w, c], 0, 2, 'float32', 5);
      const ours = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
      const ref = await ortLogits(onnx, toNchw(x.dataSync() as Float32Array, 3, h, w, c), [3, c, h, w]);
      expect(ours.length).toBe(ref.length);
      expect(maxAbsDiff(ours, ref)).toBeLessThanOrEqual(1e-5);
      // Saved and reloaded (custom layers registered), the model computes the same.
      const copy = await cloneModel(model);
      const again = tf.tidy(() => (copy.predict(x) as tf.Tensor).dataSync());
      expect(maxAbsDiff(again, ours)).toBe(0);
      // Written back unchanged (kernels to OIHW, depthwise, Gemm alpha/beta undone), the .onnx computes the same.
      const saved = await exportLayersModel(model);
      const back = await ortLogits(exportOnnx(source, saved.modelJson, saved.weights), toNchw(x.dataSync() as Float32Array, 3, h, w, c), [3, c, h, w]);
      expect(maxAbsDiff(back, ref)).toBeLessThanOrEqual(1e-6);
      tf.dispose(x);
      model.dispose();
      copy.dispose();
    });
  }
});
