import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { findSoftmaxSite, makeLogitsFn } from './logits';

/** Max over rows of the spread of (logits - log p): zero when logits = log p + a per-row constant. */
function offsetSpread(logits: tf.Tensor, probs: tf.Tensor): number {
  return tf.tidy(() => {
    const d = tf.sub(logits, tf.log(probs));
    return tf.sub(d.max(1), d.min(1)).max().dataSync()[0]!;
  });
}

describe('makeLogitsFn', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('strips a Dense softmax activation, and predict still gives probabilities', () => {
    const m = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [5], units: 8, activation: 'relu' }), tf.layers.dense({ units: 4, activation: 'softmax', name: 'head' })],
    });
    const x = tf.randomNormal([3, 5], 0, 2, 'float32', 1);
    const { logits, strippedSoftmax } = makeLogitsFn(m);
    expect(strippedSoftmax).toBe(true);
    const before = tf.memory().numTensors;
    const z = logits(x, false);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(z.shape).toEqual([3, 4]);
    const p = m.predict(x) as tf.Tensor;
    expect(offsetSpread(z, p)).toBeLessThan(1e-4);
    // Logits are not probabilities (rows do not sum to 1) while predict's rows do.
    expect(Math.abs(tf.exp(z).sum(1).dataSync()[0]! - 1)).toBeGreaterThan(1e-3);
    const rowSums = Array.from(p.sum(1).dataSync());
    rowSums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    expect((m.getLayer('head') as unknown as { activation: { getClassName(): string } }).activation.getClassName()).toBe('softmax');
  });

  it('strips Activation(softmax) followed by Reshape (MobileNet v1 head)', () => {
    const input = tf.input({ shape: [4, 4, 3] });
    let h = tf.layers.globalAveragePooling2d({}).apply(input) as tf.SymbolicTensor;
    h = tf.layers.reshape({ targetShape: [1, 1, 3] }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.dropout({ rate: 0.001 }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.conv2d({ filters: 6, kernelSize: 1, name: 'conv_preds' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.activation({ activation: 'softmax', name: 'act_softmax' }).apply(h) as tf.SymbolicTensor;
    const out = tf.layers.reshape({ targetShape: [6], name: 'reshape_2' }).apply(h) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: out });
    expect(findSoftmaxSite(m)?.layer.name).toBe('act_softmax');
    const x = tf.randomNormal([2, 4, 4, 3], 0, 3, 'float32', 2);
    const { logits, strippedSoftmax } = makeLogitsFn(m);
    expect(strippedSoftmax).toBe(true);
    const z = logits(x, false);
    const p = m.predict(x) as tf.Tensor;
    expect(z.shape).toEqual([2, 6]);
    expect(offsetSpread(z, p)).toBeLessThan(1e-4);
    // Conv output before the softmax equals the logits exactly.
    const convOut = tf.model({ inputs: input, outputs: m.getLayer('conv_preds').output as tf.SymbolicTensor }).predict(x) as tf.Tensor;
    expect(tf.sub(convOut.reshape([2, 6]), z).abs().max().dataSync()[0]!).toBeLessThan(1e-6);
    p.sum(1).dataSync().forEach((s) => expect(s).toBeCloseTo(1, 5));
  });

  it('strips a Softmax layer and restores its call', () => {
    const sm = tf.layers.softmax({ name: 'sm' });
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 5 }), sm] });
    const { logits, strippedSoftmax } = makeLogitsFn(m);
    expect(strippedSoftmax).toBe(true);
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 3);
    expect(offsetSpread(logits(x, false), m.predict(x) as tf.Tensor)).toBeLessThan(1e-4);
    expect(Object.prototype.hasOwnProperty.call(sm, 'call')).toBe(false);
    (m.predict(x) as tf.Tensor).sum(1).dataSync().forEach((s) => expect(s).toBeCloseTo(1, 5));
  });

  it('passes logits through when there is no softmax, and gradients flow', () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: 'sigmoid' }), tf.layers.dense({ units: 3 })] });
    const { logits, strippedSoftmax } = makeLogitsFn(m);
    expect(strippedSoftmax).toBe(false);
    const x = tf.ones([2, 3]);
    const direct = m.predict(x) as tf.Tensor;
    expect(tf.sub(direct, logits(x, true)).abs().max().dataSync()[0]).toBe(0);
    const { grads } = tf.variableGrads(() => logits(x, true).sum() as tf.Scalar);
    expect(Object.keys(grads).length).toBe(4);
  });
});
