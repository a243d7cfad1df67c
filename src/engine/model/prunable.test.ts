import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import { findPrunableKernels, summarizeModel } from './prunable';
import { smallCnn } from './fixtures.test-helpers';

function summaryError(model: tf.LayersModel): InputError {
  try {
    summarizeModel(model, 'm');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected summarizeModel to fail');
}

describe('findPrunableKernels', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('finds every kernel of Conv2D, DepthwiseConv2D, SeparableConv2D and Dense, never biases or BN', () => {
    const model = smallCnn(4);
    const found = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false });
    expect(found.map((k) => [k.summary.name, k.summary.kind, k.summary.shape, k.summary.params])).toEqual([
      ['c1', 'conv2d', [3, 3, 3, 4], 108],
      ['dw', 'depthwise', [3, 3, 4, 1], 36],
      ['sep/depthwise', 'separable-depthwise', [3, 3, 4, 1], 36],
      ['sep/pointwise', 'separable-pointwise', [1, 1, 4, 6], 24],
      ['out', 'dense', [384, 4], 1536],
    ]);
    // The variables are the layers' own kernels (same object the layer reads).
    const sep = model.getLayer('sep') as unknown as { depthwiseKernel: tf.LayerVariable; pointwiseKernel: tf.LayerVariable };
    expect(found[2]!.variable).toBe(sep.depthwiseKernel);
    expect(found[3]!.variable).toBe(sep.pointwiseKernel);
    expect(found.every((k) => !k.summary.keptDense)).toBe(true);
  });

  it('keeps the first and last prunable layers dense (both kernels of a separable layer)', () => {
    const cnn = smallCnn(4);
    const first = findPrunableKernels(cnn, { keepFirstDense: true, keepLastDense: false });
    expect(first.map((k) => k.summary.keptDense)).toEqual([true, false, false, false, false]);
    const last = findPrunableKernels(cnn, { keepFirstDense: false, keepLastDense: true });
    expect(last.map((k) => k.summary.keptDense)).toEqual([false, false, false, false, true]);
    const sepFirst = tf.sequential({
      layers: [tf.layers.separableConv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 2 })],
    });
    const both = findPrunableKernels(sepFirst, { keepFirstDense: true, keepLastDense: true });
    expect(both.map((k) => k.summary.keptDense)).toEqual([true, true, true]);
  });

  it('recurses into nested models and Conv1D', () => {
    const inner = tf.sequential({
      name: 'backbone',
      layers: [tf.layers.conv1d({ inputShape: [10, 2], filters: 3, kernelSize: 3, name: 'c1d' }), tf.layers.flatten({ name: 'fl' })],
    });
    const outer = tf.sequential({ layers: [inner, tf.layers.dense({ units: 5, name: 'head' })] });
    const found = findPrunableKernels(outer, { keepFirstDense: false, keepLastDense: false });
    expect(found.map((k) => [k.summary.name, k.summary.kind, k.summary.shape])).toEqual([
      ['c1d', 'conv1d', [3, 2, 3]],
      ['head', 'dense', [24, 5]],
    ]);
  });
});

describe('summarizeModel', () => {
  it('summarises a small CNN', () => {
    const s = summarizeModel(smallCnn(4), 'small');
    expect(s.inputShape).toEqual([8, 8, 3]);
    expect(s.numClasses).toBe(4);
    expect(s.outputIsSoftmax).toBe(true);
    expect(s.prunableParams).toBe(108 + 36 + 36 + 24 + 1536);
    expect(s.hasBatchNorm).toBe(true);
    expect(s.layerClasses).toEqual({ Conv2D: 1, BatchNormalization: 1, DepthwiseConv2D: 1, SeparableConv2D: 1, Flatten: 1, Dense: 1 });
    expect(s.suggestedPreprocess).toBe('unit');
    expect(s.format).toBe('Sequential');
  });

  it('accepts a grayscale [h, w] input and finds no softmax on a linear head', () => {
    const m = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 10 })] });
    const s = summarizeModel(m, 'mlp');
    expect(s.inputShape).toEqual([28, 28]);
    expect(s.outputIsSoftmax).toBe(false);
  });

  it('refuses a model with no prunable layer', () => {
    const m = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 3] }), tf.layers.activation({ activation: 'softmax' })] });
    const e = summaryError(m);
    expect(e.file).toBe('model.json');
    expect(e.message).toMatch(/^model\.json: the model has no prunable layer\. The studio prunes the kernels of Conv2D/);
  });

  it('refuses an output that is not a class vector', () => {
    const m = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 })] });
    expect(summaryError(m).message).toBe(
      'model.json: the output has shape [batch, 6, 6, 2], not a class score vector. The studio prunes image classifiers: ' +
        'one input, one output of shape [batch, classes]. (at least 2 classes; probabilities or logits).',
    );
    const one = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 1 })] });
    expect(summaryError(one).message).toMatch(/output has shape \[batch, 1\], not a class score vector/);
  });

  it('refuses several inputs or outputs, naming them', () => {
    const a = tf.input({ shape: [4, 4, 3], name: 'img_a' });
    const b = tf.input({ shape: [4, 4, 3], name: 'img_b' });
    const flat = tf.layers.flatten().apply(tf.layers.add().apply([a, b])) as tf.SymbolicTensor;
    const two = tf.model({ inputs: [a, b], outputs: tf.layers.dense({ units: 3 }).apply(flat) as tf.SymbolicTensor });
    expect(summaryError(two).message).toMatch(/^model\.json: the model has 2 inputs \(img_a, img_b\)\. .*one input, one output/);
    const x = tf.input({ shape: [4] });
    const y1 = tf.layers.dense({ units: 3, name: 'head1' }).apply(x) as tf.SymbolicTensor;
    const y2 = tf.layers.dense({ units: 2, name: 'head2' }).apply(x) as tf.SymbolicTensor;
    expect(summaryError(tf.model({ inputs: x, outputs: [y1, y2] })).message).toMatch(/has 2 outputs \(head1, head2\)/);
  });

  it('refuses an input that is not an image', () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10 })] });
    expect(summaryError(m).message).toMatch(/^model\.json: the input shape is \[784\], not an image the studio can feed/);
  });
});
