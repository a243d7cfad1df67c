/**
 * `npm run bench`: DST step vs plain dense KD step on every Node backend, achieved GFLOP/s vs the
 * backend's large-matmul GFLOP/s, one search fitness evaluation, on the demo CNN and on
 * MobileNet v1 0.25; PyTorch's time for the same demo step when Debian's python3-torch is
 * installed. Prints a table and writes bench-results.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { keepCount } from '../src/core/masks/magnitude';
import { loadModelFromFiles } from '../src/engine/model/load';
import { makeLogitsFn } from '../src/engine/model/logits';
import { findPrunableKernels } from '../src/engine/model/prunable';
import { reestimateBatchNorm } from '../src/engine/train/bn-reestimate';
import { MaskedTrainer } from '../src/engine/train/masked-trainer';
import { readModelFolder } from '../src/node/files';
import { sharedAssetsDir } from '../src/node/test-assets';
import { setupNodeBackend } from '../src/node/backend';
import { stepFlops } from './bench/step-flops';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = Number(process.env.BENCH_STEPS ?? 3);

interface Row {
  backend: string;
  model: string;
  batch: number;
  dstMs: number;
  denseKdMs: number;
  overhead: number;
  stepGflops: number;
  matmulGflops: number;
  fitnessSeconds: number;
}

async function matmulGflops(): Promise<number> {
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

/** Mean ms of `steps` training steps after one warm-up step. */
async function timeSteps(trainer: MaskedTrainer, model: tf.LayersModel, x: tf.Tensor, zt: tf.Tensor2D, steps: number): Promise<number> {
  const logits = makeLogitsFn(model).logits;
  const step = async () => {
    const loss = trainer.step({ x, teacherLogits: zt }, (xx) => logits(xx, true), { kind: 'kl-decay', temperature: 4, tau: 8, temperStudent: true }, 0.001, 1);
    await loss.data();
    loss.dispose();
  };
  await step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  return (performance.now() - t0) / steps;
}

async function benchModel(name: string, modelJson: string, batch: number, backend: string, mm: number): Promise<Row> {
  const model = await loadModelFromFiles(await readModelFolder(modelJson));
  const shape = [batch, ...(model.inputs[0]!.shape.slice(1) as number[])];
  const x = tf.randomUniform(shape, -1, 1, 'float32', 1);
  const zt = tf.tidy(() => makeLogitsFn(model).logits(x, false));
  const kernels = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false });
  const dst = new MaskedTrainer(model, kernels.map((k) => ({ variable: k.variable, spec: { kind: 'magnitude', keep: keepCount(k.summary.params, 0.5) } })), { momentum: 0.9, weightDecay: 4e-5, lambda: 5e-5 });
  // The pure-JS cpu backend needs minutes per MobileNet step: one timed step there.
  const steps = backend === 'cpu' ? 1 : STEPS;
  const dstMs = await timeSteps(dst, model, x, zt, steps);
  dst.dispose();
  const plain = new MaskedTrainer(model, [], { momentum: 0.9, weightDecay: 4e-5, lambda: 0 });
  const denseKdMs = await timeSteps(plain, model, x, zt, steps);
  plain.dispose();
  // One fitness evaluation as the search runs it: BN re-estimation on 2 batches + scoring 64 images.
  const f0 = performance.now();
  await reestimateBatchNorm(model, [0, 1].map((s) => tf.randomUniform(shape, -1, 1, 'float32', 10 + s)), 0.01);
  for (let i = 0; i < 64; i += batch) {
    const y = tf.tidy(() => makeLogitsFn(model).logits(tf.randomUniform(shape, -1, 1, 'float32', 20 + i), false));
    await y.data();
    y.dispose();
  }
  const fitnessSeconds = (performance.now() - f0) / 1000;
  const row: Row = {
    backend, model: name, batch, dstMs, denseKdMs, overhead: dstMs / denseKdMs,
    stepGflops: stepFlops(model, batch) / (dstMs / 1000) / 1e9, matmulGflops: mm, fitnessSeconds,
  };
  tf.dispose([x, zt]);
  model.dispose();
  return row;
}

function torchDemoStepMs(batch: number): number | null {
  const py = '/usr/bin/python3';
  const script = join(root, 'scripts/bench/torch_step.py');
  if (!existsSync(py) || !existsSync(script)) return null;
  const r = spawnSync(py, [script, String(batch), String(STEPS)], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return null;
  const ms = Number(r.stdout.trim().split('\n').pop());
  return Number.isFinite(ms) ? ms : null;
}

const demo = join(root, 'public/demo/cifar10/model/model.json');
const mobilenet = join(sharedAssetsDir(), 'mobilenet_v1_0.25_224/model.json');
const rows: Row[] = [];
for (const backend of ['cpu', 'wasm']) {
  const note = await setupNodeBackend(backend);
  if (tf.getBackend() !== backend) {
    console.error(`skipping ${backend}: ${note}`);
    continue;
  }
  const mm = await matmulGflops();
  rows.push(await benchModel('demo CNN (CIFAR-10)', demo, 32, backend, mm));
  rows.push(await benchModel('MobileNet v1 0.25', mobilenet, 8, backend, mm));
}
const torchMs = torchDemoStepMs(32);
const fmt = (v: number, d = 1) => v.toFixed(d).padStart(9);
console.log('backend  model                   batch   DST ms  KD ms  DST/KD  step GFLOP/s  matmul GFLOP/s  fitness s');
for (const r of rows) {
  console.log(`${r.backend.padEnd(8)} ${r.model.padEnd(22)} ${String(r.batch).padStart(5)} ${fmt(r.dstMs, 0)} ${fmt(r.denseKdMs, 0)} ${fmt(r.overhead, 2)} ${fmt(r.stepGflops, 2)} ${fmt(r.matmulGflops, 2)} ${fmt(r.fitnessSeconds, 2)}`);
}
const demoBest = Math.min(...rows.filter((r) => r.model.startsWith('demo')).map((r) => r.dstMs));
if (torchMs !== null) console.log(`PyTorch CPU, demo CNN, batch 32: ${torchMs.toFixed(1)} ms/step; best TF.js backend here is ${(demoBest / torchMs).toFixed(1)}x slower`);
else console.log('PyTorch: not measured (Debian python3-torch not installed)');
writeFileSync(join(root, 'bench-results.json'), JSON.stringify({ steps: STEPS, rows, torchDemoStepMs: torchMs, date: new Date().toISOString() }, null, 2));
console.log('wrote bench-results.json');
