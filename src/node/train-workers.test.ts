/**
 * Training threads (engine/train/replicas.ts over Node worker threads): a step split across
 * threads gives the gradient of the whole batch, BatchNorm statistics included, and a helper
 * that fails leaves the run training on its own thread with the same result.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepCount } from '../core/masks/magnitude';
import type { NamedBytes } from '../core/session-types';
import { loadAnyModel } from '../engine/model/load';
import { makeLogitsFn } from '../engine/model/logits';
import { findPrunableKernels } from '../engine/model/prunable';
import { registerTrainingGradients } from '../engine/train/batchnorm-grad';
import { installLeanTraining } from '../engine/train/lean-training';
import { MaskedTrainer } from '../engine/train/masked-trainer';
import type { ObjectiveParams } from '../engine/train/objective';
import { dataParallelBlocker, type TrainingReplicas } from '../engine/train/replicas';
import { partGradients } from '../engine/train/shard-gradients';
import { REPO_ROOT } from './assets.test-helpers';
import { setupNodeBackend } from './backend';
import { readModelFolder } from './files';
import { nodeTrainingThreads } from './train-workers';

const DEMO = join(REPO_ROOT, 'public/demo/cifar10/model/model.json');
const objective: ObjectiveParams = { kind: 'kl-decay', temperature: 4, tau: 8, temperStudent: true };

/** Largest relative L2 difference over the variables' gradients. */
function worst(a: tf.NamedTensorMap, b: tf.NamedTensorMap, names: string[]): number {
  return Math.max(...names.map((n) => {
    const x = a[n]!.dataSync();
    const y = b[n]!.dataSync();
    let num = 0;
    let den = 0;
    for (let i = 0; i < x.length; i++) {
      num += (x[i]! - y[i]!) ** 2;
      den += x[i]! ** 2;
    }
    return Math.sqrt(num / Math.max(den, 1e-30));
  }));
}

async function student(files: NamedBytes[]) {
  const { model } = await loadAnyModel(files);
  registerTrainingGradients();
  installLeanTraining(model);
  const run = makeLogitsFn(model).logits;
  return { model, logits: (x: tf.Tensor) => run(x, true), eval: (x: tf.Tensor) => run(x, false) };
}

function trainerOf(model: tf.LayersModel, replicas: TrainingReplicas | null): MaskedTrainer {
  const kernels = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false });
  return new MaskedTrainer(
    model,
    kernels.map((k) => ({ variable: k.variable, spec: { kind: 'magnitude' as const, keep: keepCount(k.summary.params, 0.3) } })),
    { momentum: 0.9, weightDecay: 4e-5, lambda: 5e-5 },
    replicas,
  );
}

describe('training threads (Node worker threads)', () => {
  let files: NamedBytes[];
  const x = () => tf.randomUniform([32, 32, 32, 3], -1, 1, 'float32', 7);

  beforeAll(async () => {
    await setupNodeBackend('wasm');
    files = await readModelFolder(DEMO);
  });
  afterAll(async () => {
    delete process.env['PTS_STUDIO_TRAIN_THREAD_FAULT'];
    await tf.setBackend('cpu');
  });

  it('give the whole batch\'s gradient and logits, with BatchNorm over the whole batch, on the demo CNN', async () => {
    const s = await student(files);
    expect(dataParallelBlocker(s.model)).toBeNull();
    const replicas = await nodeTrainingThreads(files, 3, 'wasm')(s.model, 32);
    try {
      expect(replicas.threads).toBe(3);
      const xs = x();
      const teacherLogits = tf.tidy(() => s.eval(xs).mul(1.5) as tf.Tensor2D);
      const vars = s.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const names = vars.map((v) => v.name);
      const whole = partGradients(vars, { x: xs, teacherLogits }, s.logits, objective, [32], 32);
      const split = replicas.gradients(s.model, vars, { x: xs, teacherLogits }, s.logits, objective, [32]);
      expect(Math.abs(split.value.dataSync()[0]! - whole.value.dataSync()[0]!)).toBeLessThan(1e-5 * Math.abs(whole.value.dataSync()[0]!));
      expect(worst(whole.grads, split.grads, names)).toBeLessThan(1e-4);
      // The logits come back in batch order, though each thread computed a third of them.
      const all = tf.tidy(() => s.logits(xs));
      expect(split.logits.shape).toEqual([32, 10]);
      expect(tf.max(tf.abs(tf.sub(all, split.logits))).dataSync()[0]).toBeLessThan(1e-4);
      // Shards with their own BatchNorm statistics would give another gradient: the test can tell.
      const ghost = partGradients(vars, { x: xs, teacherLogits }, s.logits, objective, [11, 11, 10], 32);
      expect(worst(whole.grads, ghost.grads, names)).toBeGreaterThan(1e-2);
      tf.dispose([xs, teacherLogits, all, split.logits, whole.value, split.value, ghost.value,
        ...Object.values(whole.grads), ...Object.values(split.grads), ...Object.values(ghost.grads)]);
    } finally {
      await replicas.close();
      s.model.dispose();
    }
  }, 180_000);

  it('train to the same weights as one thread, in chunks too; a helper that fails leaves the run on its own thread', async () => {
    const one = await student(files);
    const two = await student(files);
    process.env['PTS_STUDIO_TRAIN_THREAD_FAULT'] = '3';
    const replicas = await nodeTrainingThreads(files, 2, 'wasm')(two.model, 32);
    const a = trainerOf(one.model, null);
    const b = trainerOf(two.model, replicas);
    try {
      const seen: number[] = [];
      for (let step = 1; step <= 4; step++) {
        const xs = x();
        const teacherLogits = tf.tidy(() => one.eval(xs).mul(1.5) as tf.Tensor2D);
        // Steps 1 and 3 in chunks of 16: each thread's 16 images in two parts of 8.
        const chunk = step % 2 ? 16 : Infinity;
        let logitsA: tf.Tensor2D | null = null;
        let logitsB: tf.Tensor2D | null = null;
        const la = a.step({ x: xs, teacherLogits }, one.logits, objective, 0.01, 1, chunk, (t) => (logitsA = t));
        const lb = b.step({ x: xs, teacherLogits }, two.logits, objective, 0.01, 1, chunk, (t) => (logitsB = t));
        seen.push(b.threads);
        expect(Math.abs(lb.dataSync()[0]! - la.dataSync()[0]!)).toBeLessThan(1e-4 * Math.abs(la.dataSync()[0]!));
        expect(tf.max(tf.abs(tf.sub(logitsA!, logitsB!))).dataSync()[0]).toBeLessThan(1e-3);
        tf.dispose([xs, teacherLogits, la, lb, logitsA!, logitsB!]);
      }
      // The helper failed at its third step: that step and the next ran on this thread alone.
      expect(seen).toEqual([2, 2, 1, 1]);
      expect(b.replicaFailure).toMatch(/training thread 1 failed: fault injected at its step 3/);
      const wa = one.model.trainableWeights.map((w) => w.read().dataSync());
      const wb = two.model.trainableWeights.map((w) => w.read().dataSync());
      let worstDiff = 0;
      wa.forEach((v, i) => v.forEach((q, j) => (worstDiff = Math.max(worstDiff, Math.abs(q - wb[i]![j]!)))));
      expect(worstDiff).toBeLessThan(1e-4);
      // Training moved the weights: the comparison is not between untouched copies.
      const { model: fresh } = await loadAnyModel(files);
      const moved = Math.max(...fresh.trainableWeights.map((w, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(w.read(), one.model.trainableWeights[i]!.read()))).dataSync()[0]!)));
      fresh.dispose();
      expect(moved).toBeGreaterThan(1e-3);
    } finally {
      a.dispose();
      b.dispose();
      await replicas.close();
      one.model.dispose();
      two.model.dispose();
    }
  }, 180_000);
});
