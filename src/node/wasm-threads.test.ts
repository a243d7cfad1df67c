/**
 * The wasm backend on several threads in Node (wasm-threads.ts). Each test file runs in a process of its
 * own (vitest's forks pool), so this one starts the threaded build; the wasm backend starts once per process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { keepCount } from '../core/masks/magnitude';
import { loadModelFromFiles } from '../engine/model/load';
import { makeLogitsFn } from '../engine/model/logits';
import { findPrunableKernels } from '../engine/model/prunable';
import { MaskedTrainer } from '../engine/train/masked-trainer';
import { simdOnHeap } from '../engine/wasm-grad/simd/simd-kernels';
import { normals, relativeError } from '../engine/wasm-grad/wasm-grad.test-helpers';
import { REPO_ROOT } from './assets.test-helpers';
import { setupNodeBackend } from './backend';
import { readModelFolder } from './files';

const DEMO = join(REPO_ROOT, 'public/demo/cifar10/model/model.json');

/** The demo CNN's distillation loss and every gradient in training mode, on the active backend. */
async function demoGradients(): Promise<Map<string, Float32Array>> {
  const model = await loadModelFromFiles(await readModelFolder(DEMO));
  const out = new Map<string, Float32Array>();
  const logits = makeLogitsFn(model).logits;
  tf.tidy(() => {
    const x = tf.tensor4d(normals(8 * 32 * 32 * 3, 3), [8, 32, 32, 3]);
    const target = tf.softmax(tf.tensor2d(normals(8 * 10, 4), [8, 10]));
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(target, logits(x, true)) as tf.Scalar, vars);
    out.set('loss', value.dataSync() as Float32Array);
    for (const [k, g] of Object.entries(grads)) out.set(k.replace(/_\d+$/, ''), g.dataSync() as Float32Array);
  });
  model.dispose();
  return out;
}

let note = '';
let want: Map<string, Float32Array>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  want = await demoGradients();
  note = await setupNodeBackend('wasm', 2);
});

describe('wasm on two threads in Node', () => {
  it('starts with two XNNPACK threads on the shared heap, the studio kernels working on it', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(note).toContain('2 threads');
    expect(getThreadsCount()).toBe(2);
    expect((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(simdOnHeap(tf.backend())).toBe(true);
  });

  it("the demo CNN's loss and every gradient match the cpu backend", async () => {
    const got = await demoGradients();
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    expect(want.size).toBeGreaterThan(10);
    for (const [k, w] of want) expect(relativeError(w, got.get(k)!, 1e-3), k).toBeLessThan(1e-4);
  });

  it('a DST step trains and leaks nothing over 10 steps', async () => {
    const model = await loadModelFromFiles(await readModelFolder(DEMO));
    const logits = makeLogitsFn(model).logits;
    const x = tf.tensor4d(normals(16 * 32 * 32 * 3, 5), [16, 32, 32, 3]);
    const teacher = tf.tidy(() => logits(x, false));
    const kernels = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false });
    const trainer = new MaskedTrainer(model, kernels.map((k) => ({ variable: k.variable, spec: { kind: 'magnitude' as const, keep: keepCount(k.summary.params, 0.5) } })), { momentum: 0.9, weightDecay: 4e-5, lambda: 5e-5 });
    const kl: number[] = [];
    let before = 0;
    for (let i = 0; i < 10; i++) {
      if (i === 1) before = tf.memory().numTensors;
      const loss = trainer.step({ x, teacherLogits: teacher }, (xx) => logits(xx, true), { kind: 'kl', temperature: 4, tau: 1, temperStudent: true }, 0.02, 1);
      kl.push((await loss.data())[0]!);
      loss.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(kl.every(Number.isFinite)).toBe(true);
    // The pruned student moves towards the dense teacher.
    expect(kl[9]!).toBeLessThan(kl[0]!);
    trainer.dispose();
    tf.dispose([x, teacher]);
    model.dispose();
  });

  it('the CLI runs on --threads 2, says so, and its process ends by itself', () => {
    const out = mkdtempSync(join(tmpdir(), 'pts-threads-'));
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/pts-studio.mjs'), 'prune', '--model', DEMO, '--images', join(REPO_ROOT, 'public/demo/cifar10/images'),
      '--sparsity', '0.5', '--budget', '0.1', '--threads', '2', '--out', out, '--quiet'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 5 * 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect(r.stderr).toContain('SIMD, 2 threads');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { globalSparsity: number };
    expect(report.globalSparsity).toBeGreaterThan(0.45);
  });
});
