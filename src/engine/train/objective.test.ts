import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ceReference, klDecayReference, mseReference } from '../../core/loss/kl-reference';
import type { Objective } from '../../core/options';
import { distillKl, objectiveLoss } from './objective';

const teacher = [[2.0, -1.0, 0.5, 0.0], [0.1, 0.2, 3.0, -2.0], [-1.0, 1.5, 0.3, 0.7]];
const student = [[1.0, 0.0, -0.5, 0.2], [0.3, -0.2, 1.0, 0.5], [0.0, 0.4, -1.2, 2.0]];
const labels = [0, 2, 3];

/** Loss and dL/dz_s from TF.js. */
function tfLossAndGrad(kind: Objective, T: number, tau: number, temperStudent: boolean) {
  const zt = tf.tensor2d(teacher);
  const zs = tf.tensor2d(student);
  const y = tf.tensor1d(labels, 'int32');
  const f = (s: tf.Tensor) => objectiveLoss({ kind, temperature: T, tau, temperStudent }, zt, s as tf.Tensor2D, y);
  const loss = f(zs).dataSync()[0]!;
  const grad = tf.grad(f)(zs).arraySync() as number[][];
  tf.dispose([zt, zs, y]);
  return { loss, grad };
}

function expectClose(a: number[][], b: number[][], tol: number) {
  a.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(b[i]![j]!, tol)));
}

describe('objectiveLoss matches the scalar reference', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const temperStudent of [true, false]) {
    for (const tau of [8, 2, 1]) {
      it(`base-decayed KL, T=4, tau=${tau}, ${temperStudent ? 'tempered' : 'untempered'} student`, () => {
        const got = tfLossAndGrad('kl-decay', 4, tau, temperStudent);
        const ref = klDecayReference(teacher, student, 4, tau, temperStudent);
        expect(got.loss).toBeCloseTo(ref.loss, 4);
        expectClose(got.grad, ref.grad, 5);
      });
    }
  }

  it('the gradient scales with 1/tau (the decaying base raises it)', () => {
    const g8 = tfLossAndGrad('kl-decay', 4, 8, true).grad;
    const g2 = tfLossAndGrad('kl-decay', 4, 2, true).grad;
    expectClose(g2, g8.map((r) => r.map((v) => v * 4)), 5);
  });

  it('plain KL fixes tau at 1 whatever tau is passed', () => {
    const got = tfLossAndGrad('kl', 4, 8, true);
    const ref = klDecayReference(teacher, student, 4, 1, true);
    expect(got.loss).toBeCloseTo(ref.loss, 4);
    expectClose(got.grad, ref.grad, 5);
  });

  it('MSE on logits and CE on labels', () => {
    const mse = tfLossAndGrad('mse', 4, 8, true);
    const mseRef = mseReference(teacher, student);
    expect(mse.loss).toBeCloseTo(mseRef.loss, 5);
    expectClose(mse.grad, mseRef.grad, 5);
    const ce = tfLossAndGrad('ce', 4, 8, true);
    const ceRef = ceReference(labels, student);
    expect(ce.loss).toBeCloseTo(ceRef.loss, 5);
    expectClose(ce.grad, ceRef.grad, 5);
  });
});

/** T^2 * mean_b KL(softmax(zt/T) || softmax(zs/S)), written out with plain numbers. */
function klScalar(zt: number[][], zs: number[][], T: number, S: number): number {
  const soft = (z: number[], t: number) => {
    const m = Math.max(...z.map((v) => v / t));
    const e = z.map((v) => Math.exp(v / t - m));
    const s = e.reduce((a, v) => a + v, 0);
    return e.map((v) => v / s);
  };
  let sum = 0;
  zt.forEach((row, b) => {
    const p = soft(row, T);
    const q = soft(zs[b]!, S);
    p.forEach((pk, k) => (sum += pk * Math.log(pk / q[k]!)));
  });
  return (T * T * sum) / zt.length;
}

describe('distillKl: the gap drawn as the main loss curve', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const kl = (zt: number[][], zs: number[][], temperStudent: boolean) =>
    tf.tidy(() => distillKl({ temperature: 4, temperStudent }, tf.tensor2d(zt), tf.tensor2d(zs)).dataSync()[0]!);

  it('equals T^2 KL(p_t || q) for a tempered and an untempered student', () => {
    expect(kl(teacher, student, true)).toBeCloseTo(klScalar(teacher, student, 4, 4), 5);
    expect(kl(teacher, student, false)).toBeCloseTo(klScalar(teacher, student, 4, 1), 5);
  });

  it('is positive where the base-decayed loss on the same logits is negative, and 0 for a perfect student', () => {
    const decayed = tf.tidy(() =>
      objectiveLoss({ kind: 'kl-decay', temperature: 4, tau: 8, temperStudent: true }, tf.tensor2d(teacher), tf.tensor2d(student)).dataSync()[0]!,
    );
    expect(decayed).toBeLessThan(0);
    expect(kl(teacher, student, true)).toBeGreaterThan(0);
    expect(kl(teacher, teacher, true)).toBe(0);
  });
});
