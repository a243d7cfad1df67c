/**
 * The measurements of `npm run bench`, backend- and host-agnostic so Node and the browser page
 * time exactly the same work: DST step vs plain dense KD step, achieved vs large-matmul GFLOP/s,
 * one search fitness evaluation. Slow backends get a time budget instead of a fixed step count.
 */
import * as tf from '@tensorflow/tfjs';
import { keepCount } from '../../src/core/masks/magnitude';
import type { NamedBytes } from '../../src/core/session-types';
import { loadModelFromFiles } from '../../src/engine/model/load';
import { makeLogitsFn } from '../../src/engine/model/logits';
import { findPrunableKernels } from '../../src/engine/model/prunable';
import { reestimateBatchNorm, withBnNoise } from '../../src/engine/train/bn-reestimate';
import { paperDefaults } from '../../src/core/options';
import { backendMemory } from '../../src/engine/backend-memory';
import { MaskedTrainer } from '../../src/engine/train/masked-trainer';
import { stepChunks } from '../../src/engine/train/step-memory';
import { BENCH_MODELS, skippedRow, type BenchModel, type BenchRow, type Budget, type Where } from './rows';
import { stepFlops } from './step-flops';

/** The backend's memory high-water marks now (see BenchRow), in MB; RSS where there is a process. */
function memoryNow(): Pick<BenchRow, 'heapMB' | 'gpuMB' | 'rssMB'> {
  const mb = (bytes: number | null | undefined) => (bytes == null ? null : bytes / 2 ** 20);
  const { heapBytes, gpuBytes } = backendMemory();
  const proc = (globalThis as { process?: { memoryUsage?: () => { rss: number } } }).process;
  return { heapMB: mb(heapBytes), gpuMB: mb(gpuBytes), rssMB: mb(proc?.memoryUsage?.().rss) };
}

/** GFLOP/s of a 512x512 by 512x512 matMul, the backend's best case, after one warm-up. */
export async function matmulGflops(): Promise<number> {
  const n = 512;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const run = async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
  await run();
  const reps = 5;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await run();
  const s = (performance.now() - t0) / 1000;
  tf.dispose([a, b]);
  return (2 * n ** 3 * reps) / s / 1e9;
}

const median = (v: number[]) => {
  const s = [...v].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Untimed warm-up steps per trainer where a step is quick: JIT tiers, XNNPACK operators, shaders. */
const QUICK_WARMUPS = 3;
/** A step under this many ms is quick: it gets QUICK_WARMUPS warm-ups and more timed pairs. */
const QUICK_STEP_MS = 500;
/** Quick steps are timed in pairs until this many ms have gone (within the budget), at most MAX_PAIRS. */
const QUICK_TIMED_MS = 3000;
const MAX_PAIRS = 25;

/**
 * Median ms per step (the teacher's forward pass included, as in a run and in PyTorch's row) of
 * the DST and the plain KD trainer after untimed warm-up steps (one where a
 * step is slow; QUICK_WARMUPS where it is quick: the first few steps of the JavaScript around the
 * kernels run before V8 has optimised it, and a run takes hundreds), and the median of each pair's
 * DST / KD ratio. Their steps alternate, so load from other processes on the machine falls on
 * both alike; the ratio of a pair of neighbouring steps is steadier than the ratio of the two
 * medians on a machine whose speed drifts (one VM here moved by 30% between steps). Quick steps
 * get more pairs (a pair's ratio on two threads ranged 0.83-1.42 here), at least budget.steps.
 */
async function timePair(dst: MaskedTrainer, plain: MaskedTrainer, model: tf.LayersModel, x: tf.Tensor, budget: Budget, chunk: number) {
  const logits = makeLogitsFn(model).logits;
  // As a run's step (pipeline/dst-stage.ts): the dense teacher's logits of the batch, then the student's step.
  const step = async (trainer: MaskedTrainer) => {
    const t0 = performance.now();
    const zt = tf.tidy(() => logits(x, false));
    const loss = trainer.step({ x, teacherLogits: zt }, (xx) => logits(xx, true), { kind: 'kl-decay', temperature: 4, tau: 8, temperStudent: true }, 0.001, 1, chunk);
    await loss.data();
    tf.dispose([loss, zt]);
    return performance.now() - t0;
  };
  const first = await step(dst);
  await step(plain);
  const quick = first < QUICK_STEP_MS;
  for (let i = 1; quick && i < QUICK_WARMUPS; i++) {
    await step(dst);
    await step(plain);
  }
  const d: number[] = [];
  const k: number[] = [];
  const t0 = performance.now();
  const enough = () => d.length >= budget.steps && (!quick || d.length >= MAX_PAIRS || performance.now() - t0 > QUICK_TIMED_MS);
  while (!enough()) {
    d.push(await step(dst));
    k.push(await step(plain));
    if (performance.now() - t0 > budget.stepBudgetMs) break;
  }
  return { dstMs: median(d), denseKdMs: median(k), overhead: median(d.map((v, i) => v / k[i]!)), steps: d.length };
}

/**
 * One fitness evaluation as the search runs it: BN re-estimation on 2 batches + scoring 64 images.
 * The search keeps its noisy BN batches between genomes (pipeline/context.ts), so they are built
 * before the clock starts, as are the scored batches (the search converts those from bytes,
 * about 1 ns per value). Measured the second time, after a warm-up evaluation.
 */
async function fitnessSeconds(model: tf.LayersModel, shape: number[]): Promise<number> {
  const bn = [0, 1].map((s) => tf.tidy(() => withBnNoise(tf.randomUniform(shape, -1, 1, 'float32', 10 + s), 0.01, 30 + s)));
  const scored: tf.Tensor[] = [];
  for (let i = 0; i < 64; i += shape[0]!) scored.push(tf.randomUniform([Math.min(shape[0]!, 64 - i), ...shape.slice(1)], -1, 1, 'float32', 20 + i));
  const logits = makeLogitsFn(model).logits;
  const once = async () => {
    const t0 = performance.now();
    await reestimateBatchNorm(model, bn.map((b) => b.clone()), 0);
    for (const x of scored) {
      const y = tf.tidy(() => logits(x, false));
      await y.data();
      y.dispose();
    }
    return (performance.now() - t0) / 1000;
  };
  try {
    await once();
    return await once();
  } finally {
    tf.dispose([...bn, ...scored]);
  }
}

/** Forward passes timed for forwardMs: at least this many, more while under FORWARD_TIMED_MS. */
const FORWARD_RUNS = 5;
const FORWARD_TIMED_MS = 2000;

/** Median ms of the model's inference forward pass on `x` (the teacher's pass in a step), after two warm-ups. */
async function forwardMs(model: tf.LayersModel, x: tf.Tensor): Promise<number> {
  const logits = makeLogitsFn(model).logits;
  const once = async () => {
    const t0 = performance.now();
    const y = tf.tidy(() => logits(x, false));
    await y.data();
    y.dispose();
    return performance.now() - t0;
  };
  await once();
  await once();
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < FORWARD_RUNS || (times.length < 25 && performance.now() - t0 < FORWARD_TIMED_MS)) times.push(await once());
  return median(times);
}

/**
 * Times one model on the current backend; when `slowGflops` is set (an earlier model's step was
 * slow) the model is only estimated at that rate, not run.
 */
async function benchModel(where: Where, backend: string, m: BenchModel, files: NamedBytes[], mm: number, budget: Budget, slowGflops: number | null): Promise<BenchRow> {
  const model = await loadModelFromFiles(files);
  try {
    const flops = stepFlops(model, m.batch);
    if (slowGflops !== null) return { ...skippedRow(where, backend, m, `skipped (est. ${Math.round(flops / (slowGflops * 1e9))} s/step)`), matmulGflops: mm };
    const shape = [m.batch, ...(model.inputs[0]!.shape.slice(1) as number[])];
    const x = tf.randomUniform(shape, -1, 1, 'float32', 1);
    const kernels = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false });
    const dst = new MaskedTrainer(model, kernels.map((k) => ({ variable: k.variable, spec: { kind: 'magnitude', keep: keepCount(k.summary.params, 0.5) } })), { momentum: 0.9, weightDecay: 4e-5, lambda: 5e-5 });
    // Both train the same variables; the values do not matter to the timing.
    const plain = new MaskedTrainer(model, [], { momentum: 0.9, weightDecay: 4e-5, lambda: 0 });
    // Chunked as a run with the default step memory would be.
    const { chunk } = stepChunks(model, m.batch, paperDefaults.stepMemoryMB);
    const { dstMs, denseKdMs, overhead, steps } = await timePair(dst, plain, model, x, budget, chunk);
    dst.dispose();
    plain.dispose();
    const fwd = await forwardMs(model, x);
    x.dispose();
    return {
      where, backend, model: m.name, batch: m.batch, steps, dstMs, denseKdMs, overhead,
      stepGflops: flops / (dstMs / 1000) / 1e9, matmulGflops: mm, fitnessSeconds: await fitnessSeconds(model, shape), forwardMs: fwd, chunk, ...memoryNow(), note: null,
    };
  } finally {
    model.dispose();
  }
}

/**
 * Every bench model on the backend already set, in BENCH_MODELS order; `load` reads a model's
 * files (from disk in Node, over HTTP in the page), `log` hears progress, `onRow` each row as it
 * is done (so a run cut short keeps what it measured); `backend` names the rows (the active
 * backend unless a variant such as single-threaded wasm needs telling apart).
 */
export async function benchBackend(
  where: Where,
  load: (m: BenchModel) => Promise<NamedBytes[]>,
  budget: Budget,
  log: (line: string) => void,
  onRow: (row: BenchRow) => void = () => undefined,
  backend: string = tf.getBackend(),
): Promise<BenchRow[]> {
  const mm = await matmulGflops();
  log(`${where} ${backend}: matmul ${mm.toFixed(2)} GFLOP/s`);
  const rows: BenchRow[] = [];
  let slowGflops: number | null = null;
  for (const m of BENCH_MODELS) {
    const row = await benchModel(where, backend, m, await load(m), mm, budget, slowGflops);
    if (row.dstMs !== null && row.dstMs > budget.slowStepMs) slowGflops ??= row.stepGflops;
    log(`${where} ${backend} ${m.name}: ${row.note ?? `DST ${row.dstMs?.toFixed(0)} ms, KD ${row.denseKdMs?.toFixed(0)} ms over ${row.steps} step(s)`}`);
    onRow(row);
    rows.push(row);
  }
  return rows;
}
