/**
 * Milliseconds per training step (forward + backward via tf.variableGrads + SGD update) on the
 * cpu and wasm backends, wasm with the kernels of src/engine/wasm-grad registered.
 *
 *   npx tsx scripts/bench-wasm-grad.ts [--steps 3] [--cpu-steps 1] [--only mobilenet|cnn]
 *
 * MobileNet v1 0.25 at batch 8 (224x224) and a small CIFAR CNN at batch 32 (32x32). Each
 * (model, backend) pair runs one untimed warm-up step (wasm builds its XNNPACK operators then),
 * except cpu MobileNet, whose single step takes minutes and has no warm-up cost to hide.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { readModelFolder } from '../src/node/files';
import { MOBILENET_DIR } from '../src/node/assets.test-helpers';
import { loadModelFromFiles } from '../src/engine/model/load';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../src/engine/wasm-grad/index';

type Backend = 'cpu' | 'wasm';

/** conv3x3(16) s1, conv3x3(32) s2, conv3x3(64) s2, each + BN + ReLU, then GAP and dense(10). */
function cifarCnn(): tf.LayersModel {
  const m = tf.sequential();
  const block = (filters: number, strides: number, first = false) => {
    m.add(tf.layers.conv2d({ ...(first ? { inputShape: [32, 32, 3] } : {}), filters, kernelSize: 3, strides, padding: 'same', useBias: false }));
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.reLU());
  };
  block(16, 1, true);
  block(32, 2);
  block(64, 2);
  m.add(tf.layers.globalAveragePooling2d({}));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

async function mobilenet(): Promise<tf.LayersModel> {
  return loadModelFromFiles(await readModelFolder(join(MOBILENET_DIR, 'model.json')));
}

/** Mean ms of `steps` SGD steps after `warmup` untimed ones. */
async function timeSteps(model: tf.LayersModel, inputShape: number[], classes: number, warmup: number, steps: number): Promise<number> {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = tf.train.sgd(0.001);
  const x = tf.randomNormal(inputShape, 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([inputShape[0]!], 0, classes, 'int32', 2), classes));
  const step = async () => {
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      vars,
    );
    opt.applyGradients(grads);
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
  };
  for (let i = 0; i < warmup; i++) await step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const ms = (performance.now() - t0) / steps;
  tf.dispose([x, y]);
  opt.dispose();
  return ms;
}

interface Row {
  model: string;
  batch: number;
  ms: Partial<Record<Backend, number>>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { steps: { type: 'string', default: '3' }, 'cpu-steps': { type: 'string', default: '1' }, only: { type: 'string' } },
  });
  const steps = Number(values.steps);
  const cpuSteps = Number(values['cpu-steps']);
  const registered = registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  console.log(`node ${process.version}, ${availableParallelism()} cores; wasm SIMD ${simd}, multithread ${threads} (${getThreadsCount()} thread)`);
  console.log(`registered on wasm: ${registered.join(', ') || '(none missing)'}`);

  const cases = [
    { name: 'MobileNet v1 0.25', batch: 8, shape: [8, 224, 224, 3], classes: 1000, build: mobilenet, cpuWarmup: 0 },
    { name: 'CIFAR CNN', batch: 32, shape: [32, 32, 32, 3], classes: 10, build: async () => cifarCnn(), cpuWarmup: 1 },
  ].filter((c) => !values.only || (values.only === 'cnn') === (c.name === 'CIFAR CNN'));

  const rows: Row[] = [];
  for (const c of cases) {
    const row: Row = { model: c.name, batch: c.batch, ms: {} };
    for (const backend of ['wasm', 'cpu'] as const) {
      await tf.setBackend(backend);
      const model = await c.build();
      const warm = backend === 'cpu' ? c.cpuWarmup : 1;
      row.ms[backend] = await timeSteps(model, c.shape, c.classes, warm, backend === 'cpu' ? cpuSteps : steps);
      model.dispose();
      console.log(`  ${c.name} on ${backend}: ${row.ms[backend]!.toFixed(0)} ms/step`);
    }
    rows.push(row);
  }

  console.log('\n| model | batch | cpu ms/step | wasm ms/step | wasm speed-up |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    const { cpu, wasm } = r.ms;
    console.log(`| ${r.model} | ${r.batch} | ${cpu!.toFixed(0)} | ${wasm!.toFixed(0)} | ${(cpu! / wasm!).toFixed(1)}x |`);
  }
}

await main();
