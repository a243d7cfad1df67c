/**
 * `[PROFILE_THREADS=n] [PROFILE_BATCH=n] node bin/run-ts.mjs scripts/profile-step.ts [demo|mobilenet] [wasm|cpu]`: the mean time of a
 * DST step (50% magnitude masks, base-decayed KL) and the TF.js kernels it spends it in, from
 * tf.profile. For finding what to speed up next; `npm run bench` is the figure to report.
 */
import * as tf from '@tensorflow/tfjs';
import { keepCount } from '../src/core/masks/magnitude';
import { loadModelFromFiles } from '../src/engine/model/load';
import { makeLogitsFn } from '../src/engine/model/logits';
import { findPrunableKernels } from '../src/engine/model/prunable';
import { MaskedTrainer } from '../src/engine/train/masked-trainer';
import { setupNodeBackend } from '../src/node/backend';
import { readModelFolder } from '../src/node/files';

const MODELS: Record<string, { path: string; batch: number }> = {
  demo: { path: 'public/demo/cifar10/model/model.json', batch: 32 },
  mobilenet: { path: 'public/models/mobilenet_v1_0.25_224/model.json', batch: Number(process.env.PROFILE_BATCH ?? 8) },
};

async function main(): Promise<void> {
  const which = MODELS[process.argv[2] ?? 'demo'];
  if (!which) throw new Error(`model: one of ${Object.keys(MODELS).join(', ')}`);
  console.log(await setupNodeBackend(process.argv[3] ?? 'wasm', Number(process.env.PROFILE_THREADS ?? 1)));
  const model = await loadModelFromFiles(await readModelFolder(which.path));
  const x = tf.randomUniform([which.batch, ...(model.inputs[0]!.shape.slice(1) as number[])], -1, 1, 'float32', 1);
  const logits = makeLogitsFn(model).logits;
  const teacher = tf.tidy(() => logits(x, false));
  const kernels = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false });
  const trainer = new MaskedTrainer(
    model,
    kernels.map((k) => ({ variable: k.variable, spec: { kind: 'magnitude' as const, keep: keepCount(k.summary.params, 0.5) } })),
    { momentum: 0.9, weightDecay: 4e-5, lambda: 5e-5 },
  );
  const step = async () => {
    const loss = trainer.step({ x, teacherLogits: teacher }, (xx) => logits(xx, true), { kind: 'kl-decay', temperature: 4, tau: 8, temperStudent: true }, 0.001, 1);
    await loss.data();
    loss.dispose();
  };
  await step();
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) await step();
  console.log(`${tf.getBackend()}: ${((performance.now() - t0) / 3).toFixed(0)} ms per step`);
  const byKernel = new Map<string, number>();
  for (const k of (await tf.profile(step)).kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${name.padEnd(40)} ${ms.toFixed(1)} ms`);
}

void main();
