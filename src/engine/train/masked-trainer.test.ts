import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { magnitudeMask } from '../../core/masks/magnitude';
import { MaskedTrainer } from './masked-trainer';

const W = [0.9, -0.1, 0.4, -0.6, 0.05, 0.3, -0.8, 0.2, 0.7, -0.35, 0.15, 0.5]; // [4, 3]
const X = [[1, 2, -1, 0.5], [0.5, -1, 2, 1]];
const Z = [[0.2, -0.4, 1.0], [1.5, 0.3, -0.7]];

/** A bias-free Dense [4 -> 3] with kernel W. */
function denseModel(): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, useBias: false, name: 'fc' })] });
  m.layers[0]!.setWeights([tf.tensor2d(W, [4, 3])]);
  return m;
}

const kernelOf = (m: tf.LayersModel) => m.layers[0]!.weights[0]!;

describe('MaskedTrainer (straight-through DST step)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('applies the gradient of w*mask to all of w and decays pruned weights by lambda', () => {
    const model = denseModel();
    const keep = 6;
    const trainer = new MaskedTrainer(model, [{ variable: kernelOf(model), spec: { kind: 'magnitude', keep } }], {
      momentum: 0, weightDecay: 0, lambda: 0.5,
    });
    const mask = magnitudeMask(W, 0.5);
    // The model now holds w * mask.
    kernelOf(model).read().dataSync().forEach((v, i) => expect(v).toBeCloseTo(mask[i] ? W[i]! : 0, 6));
    expect(mask.reduce((s, v) => s + v, 0)).toBe(keep);
    const x = tf.tensor2d(X);
    const zt = tf.tensor2d(Z);
    const lr = 0.1;
    const loss = trainer.step({ x, teacherLogits: zt }, (xx) => model.apply(xx) as tf.Tensor2D, {
      kind: 'mse', temperature: 4, tau: 1, temperStudent: true,
    }, lr, 1);
    // Hand gradient of MSE = mean((X Wm - Z)^2) over B*C entries, with respect to Wm.
    const wm = W.map((w, i) => (mask[i] ? w : 0));
    const y = X.map((row) => [0, 1, 2].map((o) => row.reduce((s, v, i) => s + v * wm[i * 3 + o]!, 0)));
    const g = W.map((_, k) => {
      const i = Math.floor(k / 3);
      const o = k % 3;
      return X.reduce((s, row, b) => s + (2 / 6) * (y[b]![o]! - Z[b]![o]!) * row[i]!, 0);
    });
    const expectedDense = W.map((w, k) => w - lr * (g[k]! + (mask[k] ? 0 : 0.5 * w)));
    const expectedMask = magnitudeMask(expectedDense, 0.5);
    const got = Array.from(kernelOf(model).read().dataSync());
    got.forEach((v, k) => expect(v).toBeCloseTo(expectedMask[k] ? expectedDense[k]! : 0, 5));
    expect(loss.dataSync()[0]).toBeCloseTo(y.flat().reduce((s, v, k) => s + (v - Z.flat()[k]!) ** 2, 0) / 6, 5);
    tf.dispose([x, zt, loss]);
    trainer.dispose();
    model.dispose();
  });

  it('a channel scale: the model reads scale * w * mask, masks come from |w|, the scale takes its own gradient, w the unscaled one', () => {
    const model = denseModel();
    const S = [2, 0.5, 3];
    const keep = 6;
    const trainer = new MaskedTrainer(model, [{ variable: kernelOf(model), spec: { kind: 'magnitude', keep }, scale: Float32Array.from(S) }], {
      momentum: 0, weightDecay: 0, lambda: 0,
    });
    // The mask is |w|'s, whatever the scale: the largest six of W, not of W scaled per column.
    const mask = magnitudeMask(W, 0.5);
    kernelOf(model).read().dataSync().forEach((v, i) => expect(v).toBeCloseTo(mask[i] ? S[i % 3]! * W[i]! : 0, 6));
    const x = tf.tensor2d(X);
    const zt = tf.tensor2d(Z);
    const lr = 0.1;
    trainer.step({ x, teacherLogits: zt }, (xx) => model.apply(xx) as tf.Tensor2D, { kind: 'mse', temperature: 4, tau: 1, temperStudent: true }, lr, 1);
    // Gradient of the MSE with respect to the kernel the model read, K = S * W * mask.
    const k = W.map((w, i) => (mask[i] ? S[i % 3]! * w : 0));
    const y = X.map((row) => [0, 1, 2].map((o) => row.reduce((s, v, i) => s + v * k[i * 3 + o]!, 0)));
    const g = W.map((_, j) => X.reduce((s, row, b) => s + (2 / 6) * (y[b]![j % 3]! - Z[b]![j % 3]!) * row[Math.floor(j / 3)]!, 0));
    const dense = W.map((w, j) => w - lr * g[j]!);
    const scale = S.map((sc, o) => sc - lr * W.reduce((s, w, j) => s + (j % 3 === o && mask[j] ? g[j]! * w : 0), 0));
    const next = magnitudeMask(dense, 0.5);
    Array.from(kernelOf(model).read().dataSync()).forEach((v, j) => expect(v).toBeCloseTo(next[j] ? scale[j % 3]! * dense[j]! : 0, 5));
    tf.dispose([x, zt]);
    trainer.dispose();
    model.dispose();
  });

  it('a channel scale travels with the trainer state: a restored trainer continues with the same kernel', async () => {
    const run = async (restoreAt: number | null) => {
      const model = denseModel();
      const make = () => new MaskedTrainer(model, [{ variable: kernelOf(model), spec: { kind: 'magnitude', keep: 6 }, scale: Float32Array.from([2, 0.5, 3]) }], { momentum: 0.9, weightDecay: 1e-3, lambda: 0 });
      let trainer = make();
      const x = tf.tensor2d(X);
      const zt = tf.tensor2d(Z);
      for (let i = 0; i < 4; i++) {
        if (i === restoreAt) {
          const state = await trainer.state();
          expect(state.scales?.[0]).not.toBeNull();
          trainer.dispose();
          trainer = make();
          trainer.restore(state);
        }
        trainer.step({ x, teacherLogits: zt }, (xx) => model.apply(xx) as tf.Tensor2D, { kind: 'mse', temperature: 4, tau: 1, temperStudent: true }, 0.05, 1).dispose();
      }
      const out = Array.from(kernelOf(model).read().dataSync());
      tf.dispose([x, zt]);
      trainer.dispose();
      model.dispose();
      return out;
    };
    const straight = await run(null);
    const resumed = await run(2);
    resumed.forEach((v, j) => expect(v).toBeCloseTo(straight[j]!, 6));
    expect(straight.some((v, j) => Math.abs(v - (magnitudeMask(W, 0.5)[j] ? [2, 0.5, 3][j % 3]! * W[j]! : 0)) > 1e-4)).toBe(true);
  });

  it('takes the same step through chunks as through the whole batch (gradients summed by share)', () => {
    // 5 rows in chunks of 2: parts of 2, 2 and 1, so the weighting by share matters.
    const x = tf.tensor2d([...X, [0.3, 0.1, -0.2, 1], [-1, 0.4, 0.2, 0.7], [2, -0.5, 0.1, 0.3]]);
    const zt = tf.tensor2d([...Z, [0.1, 0.2, 0.3], [-0.3, 0.8, 0.1], [0.6, -0.2, 0.4]]);
    const run = (chunk: number) => {
      const model = denseModel();
      const trainer = new MaskedTrainer(model, [{ variable: kernelOf(model), spec: { kind: 'magnitude', keep: 6 } }], { momentum: 0.9, weightDecay: 1e-4, lambda: 0.5 });
      const calls: number[] = [];
      const loss = trainer.step({ x, teacherLogits: zt }, (xx) => {
        calls.push(xx.shape[0]!);
        return model.apply(xx) as tf.Tensor2D;
      }, { kind: 'kl-decay', temperature: 4, tau: 3, temperStudent: true }, 0.1, 1, chunk);
      const out = { loss: loss.dataSync()[0]!, kernel: Array.from(kernelOf(model).read().dataSync()), calls };
      loss.dispose();
      trainer.dispose();
      model.dispose();
      return out;
    };
    const whole = run(Infinity);
    const chunked = run(2);
    expect(whole.calls).toEqual([5]);
    expect(chunked.calls).toEqual([2, 2, 1]);
    expect(chunked.loss).toBeCloseTo(whole.loss, 5);
    chunked.kernel.forEach((v, k) => expect(v).toBeCloseTo(whole.kernel[k]!, 6));
    // And the step moved the weights, so the comparison means something.
    expect(whole.kernel.some((v, k) => Math.abs(v - (magnitudeMask(W, 0.5)[k] ? W[k]! : 0)) > 1e-3)).toBe(true);
    tf.dispose([x, zt]);
  });

  it('trains from given dense values under the mask: the model holds w * mask, pruned weights keep their value', () => {
    const model = denseModel();
    // The model starts one-shot pruned (zeros), as after the one-shot phase.
    const mask = magnitudeMask(W, 0.5);
    kernelOf(model).write(tf.tensor2d(W.map((w, i) => (mask[i] ? w : 0)), [4, 3]));
    const trainer = new MaskedTrainer(
      model,
      [{ variable: kernelOf(model), spec: { kind: 'magnitude', keep: 6 }, initial: Float32Array.from(W) }],
      { momentum: 0, weightDecay: 0, lambda: 0 },
    );
    const [shadow] = trainer.denseWeights();
    Array.from(shadow!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(W[i]!, 6));
    kernelOf(model).read().dataSync().forEach((v, i) => expect(v).toBeCloseTo(mask[i] ? W[i]! : 0, 6));
    // A pruned weight just under the threshold regrows once a step pushes it past a kept one.
    const x = tf.tensor2d(X);
    const zt = tf.tensor2d(Z);
    for (let i = 0; i < 20; i++) {
      tf.dispose(trainer.step({ x, teacherLogits: zt }, (xx) => model.apply(xx) as tf.Tensor2D, { kind: 'mse', temperature: 4, tau: 1, temperStudent: true }, 0.2, 1));
    }
    const after = Array.from(kernelOf(model).read().dataSync()).map((v) => (v !== 0 ? 1 : 0));
    expect(after.some((m, i) => m === 1 && mask[i] === 0)).toBe(true);
    tf.dispose([x, zt, shadow!]);
    trainer.dispose();
    model.dispose();
  });

  it('N:M masks hold after every step, and churn reads flipped bits', async () => {
    const model = denseModel();
    const trainer = new MaskedTrainer(model, [{ variable: kernelOf(model), spec: { kind: 'nm', n: 1, m: 2 } }], {
      momentum: 0.9, weightDecay: 1e-4, lambda: 5e-5,
    });
    const x = tf.tensor2d(X);
    const zt = tf.tensor2d(Z);
    for (let s = 0; s < 5; s++) {
      trainer.step({ x, teacherLogits: zt }, (xx) => model.apply(xx) as tf.Tensor2D, { kind: 'mse', temperature: 4, tau: 1, temperStudent: true }, 0.5, 1).dispose();
      const w = kernelOf(model).read().dataSync();
      // Groups: input rows (0,1) and (2,3) for each output column: at most one non-zero each.
      for (let o = 0; o < 3; o++) for (const r of [0, 2]) expect(Number(w[r * 3 + o] !== 0) + Number(w[(r + 1) * 3 + o] !== 0)).toBeLessThanOrEqual(1);
    }
    const churn = await trainer.churn();
    expect(churn).toHaveLength(1);
    expect(churn[0]).toBeGreaterThanOrEqual(0);
    expect(await trainer.churn()).toEqual([0]);
    tf.dispose([x, zt]);
    trainer.dispose();
    model.dispose();
  });

  it('leaks no tensors across 50 steps', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, name: 'c' }),
        tf.layers.batchNormalization({ name: 'bn' }),
        tf.layers.reLU({ maxValue: 6 }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 3, name: 'd' }),
      ],
    });
    const kernels = [model.layers[0]!, model.layers[4]!].map((l) => ({ variable: l.weights[0]!, spec: { kind: 'magnitude' as const, keep: 10 } }));
    const trainer = new MaskedTrainer(model, kernels, { momentum: 0.9, weightDecay: 4e-5, lambda: 5e-5 });
    const x = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 3);
    const zt = tf.randomNormal([4, 3], 0, 1, 'float32', 4) as tf.Tensor2D;
    const run = () =>
      trainer.step({ x, teacherLogits: zt }, (xx) => model.apply(xx, { training: true }) as tf.Tensor2D, {
        kind: 'kl-decay', temperature: 4, tau: 8, temperStudent: true,
      }, 0.01, 1).dispose();
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, zt]);
    trainer.dispose();
    model.dispose();
  });
});
