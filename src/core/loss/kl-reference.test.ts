import { describe, expect, it } from 'vitest';
import { ceReference, klDecayReference, mseReference, type LossWithGrad } from './kl-reference';

/** Central finite differences of f at z, element by element. */
function numericGrad(f: (z: number[][]) => number, z: number[][], h = 1e-5): number[][] {
  return z.map((row, b) =>
    row.map((_, k) => {
      const up = z.map((r) => r.slice());
      const down = z.map((r) => r.slice());
      up[b]![k]! += h;
      down[b]![k]! -= h;
      return (f(up) - f(down)) / (2 * h);
    }),
  );
}

function expectClose(a: number[][], b: number[][], tol: number): void {
  a.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - b[i]![j]!)).toBeLessThan(tol)));
}

const teacher = [
  [2.0, -1.0, 0.5, 3.0],
  [-0.5, 0.0, 1.5, -2.0],
  [1.0, 1.0, 1.0, 1.0],
];
const student = [
  [1.5, -0.5, 0.0, 2.0],
  [0.3, -1.2, 2.5, -1.0],
  [-1.0, 2.0, 0.0, 0.5],
];

describe('klDecayReference', () => {
  it('hand example, untempered: teacher [0, 0], student [ln 3, 0], T = 1, tau = 1', () => {
    const r = klDecayReference([[0, 0]], [[Math.log(3), 0]], 1, 1, false);
    // 0.5 ln(0.5 / 0.75) + 0.5 ln(0.5 / 0.25) = 0.5 ln(4/3)
    expect(r.loss).toBeCloseTo(0.5 * Math.log(4 / 3), 12);
    expectClose(r.grad, [[0.25, -0.25]], 1e-12);
  });

  it('hand example, tempered: teacher [2 ln 3, 0], student [0, 0], T = 2, tau = 1', () => {
    const r = klDecayReference([[2 * Math.log(3), 0]], [[0, 0]], 2, 1, true);
    // p_t = [0.75, 0.25], q = ln 0.5: 4 (0.75 ln 1.5 + 0.25 ln 0.5); grad = 4 / 2 (0.5 - p_t)
    expect(r.loss).toBeCloseTo(4 * (0.75 * Math.log(1.5) + 0.25 * Math.log(0.5)), 12);
    expectClose(r.grad, [[-0.5, 0.5]], 1e-12);
  });

  it('a matched student has zero gradient; tau only shifts the loss', () => {
    const r = klDecayReference([[0, 0]], [[0, 0]], 4, 2, true);
    // 16 * (ln 0.5 - ln 0.5 / 2) = 8 ln 0.5
    expect(r.loss).toBeCloseTo(8 * Math.log(0.5), 12);
    expectClose(r.grad, [[0, 0]], 1e-15);
  });

  for (const temperStudent of [true, false]) {
    for (const tau of [1, 2, 8 * 0.99 ** 10]) {
      it(`grad matches central differences (temperStudent=${temperStudent}, tau=${tau.toFixed(3)})`, () => {
        const f = (z: number[][]) => klDecayReference(teacher, z, 4, tau, temperStudent).loss;
        const r = klDecayReference(teacher, student, 4, tau, temperStudent);
        expectClose(r.grad, numericGrad(f, student), 1e-6);
      });
    }
  }

  it('grad at tau = 2 is half the grad at tau = 1', () => {
    for (const temperStudent of [true, false]) {
      const g1 = klDecayReference(teacher, student, 4, 1, temperStudent).grad;
      const g2 = klDecayReference(teacher, student, 4, 2, temperStudent).grad;
      expectClose(g2, g1.map((row) => row.map((v) => v / 2)), 1e-15);
    }
  });

  it('the untempered grad is T times the tempered one at equal student softmax', () => {
    // student logits T * z tempered give softmax(z), same as z untempered
    const z = student;
    const untempered = klDecayReference(teacher, z, 4, 1, false).grad;
    const tempered = klDecayReference(teacher, z.map((r) => r.map((v) => 4 * v)), 4, 1, true).grad;
    expectClose(untempered, tempered.map((r) => r.map((v) => 4 * v)), 1e-12);
  });

  it('is finite when a teacher probability underflows to 0', () => {
    const r: LossWithGrad = klDecayReference([[1000, 0]], [[0, 0]], 1, 1, false);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.loss).toBeCloseTo(-Math.log(0.5), 12);
  });
});

describe('mseReference', () => {
  it('hand example and finite differences', () => {
    const r = mseReference([[1, 2]], [[2, 0]]);
    expect(r.loss).toBe(2.5); // (1 + 4) / 2
    expect(r.grad).toEqual([[1, -2]]);
    const f = (z: number[][]) => mseReference(teacher, z).loss;
    expectClose(mseReference(teacher, student).grad, numericGrad(f, student), 1e-7);
  });
});

describe('ceReference', () => {
  it('hand example and finite differences', () => {
    const r = ceReference([0], [[Math.log(3), 0]]);
    expect(r.loss).toBeCloseTo(-Math.log(0.75), 12);
    expectClose(r.grad, [[-0.25, 0.25]], 1e-12);
    const labels = [3, 2, 1];
    const f = (z: number[][]) => ceReference(labels, z).loss;
    expectClose(ceReference(labels, student).grad, numericGrad(f, student), 1e-7);
  });
});
