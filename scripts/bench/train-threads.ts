/**
 * A DST step split across training threads in Node (engine/train/replicas.ts, the CLI's
 * --train-threads) against the same step on the main thread alone: the two trainers' steps
 * alternate on one model's copies, after a warm-up step each, and the figure is the median of
 * each neighbouring pair's ratio (this machine's speed drifts between steps).
 */
import * as tf from '@tensorflow/tfjs';
import { keepCount } from '../../src/core/masks/magnitude';
import { paperDefaults } from '../../src/core/options';
import type { NamedBytes } from '../../src/core/session-types';
import { loadAnyModel } from '../../src/engine/model/load';
import { makeLogitsFn } from '../../src/engine/model/logits';
import { findPrunableKernels } from '../../src/engine/model/prunable';
import { MaskedTrainer } from '../../src/engine/train/masked-trainer';
import { dataParallelBlocker } from '../../src/engine/train/replicas';
import { stepChunks } from '../../src/engine/train/step-memory';
import { nodeTrainingThreads } from '../../src/node/train-workers';

export interface TrainThreads {
  threads: number;
  oneMs: number;
  splitMs: number;
  /** Median of the pairs' one-thread / threads ratios. */
  speedup: number;
  steps: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

export async function trainThreadsStep(files: NamedBytes[], batch: number, threads: number, steps: number, budgetMs: number): Promise<TrainThreads> {
  const load = async () => (await loadAnyModel(files)).model;
  const [a, b] = [await load(), await load()];
  const trainer = (model: tf.LayersModel, replicas: Awaited<ReturnType<ReturnType<typeof nodeTrainingThreads>>> | null) => {
    const kernels = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false });
    return new MaskedTrainer(model, kernels.map((k) => ({ variable: k.variable, spec: { kind: 'magnitude' as const, keep: keepCount(k.summary.params, 0.5) } })), { momentum: 0.9, weightDecay: 4e-5, lambda: 5e-5 }, replicas);
  };
  const one = trainer(a, null);
  const blocker = dataParallelBlocker(b);
  if (blocker) throw new Error(blocker);
  const replicas = await nodeTrainingThreads(files, threads, tf.getBackend())(b, batch);
  const split = trainer(b, replicas);
  const x = tf.randomUniform([batch, ...(a.inputs[0]!.shape.slice(1) as number[])], -1, 1, 'float32', 1);
  const teacher = makeLogitsFn(a).logits;
  const { chunk } = stepChunks(a, batch, paperDefaults.stepMemoryMB);
  const time = async (t: MaskedTrainer, model: tf.LayersModel) => {
    const logits = makeLogitsFn(model).logits;
    const t0 = performance.now();
    // The teacher's forward pass is part of a run's step (on the main thread, as in a run).
    const zt = tf.tidy(() => teacher(x, false));
    const loss = t.step({ x, teacherLogits: zt }, (xx) => logits(xx, true), { kind: 'kl-decay', temperature: 4, tau: 8, temperStudent: true }, 0.001, 1, chunk);
    await loss.data();
    tf.dispose([loss, zt]);
    return performance.now() - t0;
  };
  try {
    await time(one, a);
    await time(split, b);
    const o: number[] = [];
    const s: number[] = [];
    const t0 = performance.now();
    while (o.length < steps && (o.length === 0 || performance.now() - t0 < budgetMs)) {
      o.push(await time(one, a));
      s.push(await time(split, b));
    }
    if (split.threads !== threads) throw new Error(`the training threads stopped: ${split.replicaFailure}`);
    return { threads, oneMs: median(o), splitMs: median(s), speedup: median(o.map((v, i) => v / s[i]!)), steps: o.length };
  } finally {
    one.dispose();
    split.dispose();
    await replicas.close();
    x.dispose();
    a.dispose();
    b.dispose();
  }
}
