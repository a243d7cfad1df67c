import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { quickLook, type PruneOptions } from '../../core/options';
import type { NamedBytes } from '../../core/session-types';
import { setupNodeBackend } from '../../node/backend';
import { decodeNode } from '../../node/decode';
import { readFolder } from '../../node/files';
import { images } from '../pipeline/pipeline.test-helpers';
import { StudioSession } from '../session';
import { checkSparseOnnx } from './check-export';
import { weightsByName } from './export-onnx';
import { importOnnx } from './import-model';
import { decodeModel } from './proto/codec';
import { tensorValue } from './tensor-data';
import { maxAbsDiff, onnxAsset, ortLogits, toNchw } from './assets.test-helpers';
import { tinyOnnx } from './fixtures.test-helpers';

const short: PruneOptions = { ...quickLook, epochs: 1, batchSize: 8, evalsPerRun: 1, bnBatches: 1, heldOut: 0.25, preprocess: 'imagenet' };

/** A finished run's sparse TF.js model, loaded as a user of the download would. */
function loadSparse(modelJson: string, weights: ArrayBuffer): Promise<tf.LayersModel> {
  const mj = JSON.parse(modelJson) as tf.io.ModelJSON & { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: mj.modelTopology, weightSpecs: mj.weightsManifest[0]!.weights, weightData: weights }));
}

async function run(files: NamedBytes[], imgs: NamedBytes[], o: PruneOptions) {
  const session = new StudioSession({ decode: decodeNode, backend: tf.getBackend() });
  await session.loadModel(files);
  await session.loadImages(imgs);
  const result = await session.run(o, () => {}, new AbortController().signal);
  session.dispose();
  return result;
}

/** ONNX Runtime on the sparse .onnx vs the sparse TF.js model, on the same NHWC batch. */
async function logitsGap(onnx: Uint8Array, sparse: tf.LayersModel, x: tf.Tensor4D): Promise<number> {
  const [n, h, w, c] = x.shape;
  const ours = tf.tidy(() => (sparse.predict(x) as tf.Tensor).dataSync());
  const ref = await ortLogits(onnx, toNchw(x.dataSync() as Float32Array, n, h, w, c), [n, c, h, w]);
  return maxAbsDiff(ours, ref);
}

describe('sparse ONNX export', () => {
  beforeAll(async () => {
    // wasm with the studio's training kernels: ResNet training steps on the cpu backend take minutes.
    await setupNodeBackend('wasm');
  });

  it('resnet32 at 2:4: the .onnx runs in ONNX Runtime with the sparse TF.js model\'s logits, zeros where the masks say, 2:4 along input channels', async () => {
    const file = onnxAsset('resnet32.onnx');
    const imgs = (await readFolder('public/demo/cifar10/images')).filter((_, i) => i % 10 === 0).map((f) => ({ ...f, path: `c/${f.path}` }));
    const result = await run([file], imgs, { ...short, pattern: { kind: 'nm', n: 2, m: 4 } });
    const onnx = new Uint8Array(result.onnx!);
    const sparse = await loadSparse(result.modelJson, result.weights);
    const x = tf.randomUniform([6, 32, 32, 3], -2, 2, 'float32', 11) as tf.Tensor4D;
    expect(await logitsGap(onnx, sparse, x)).toBeLessThanOrEqual(1e-4);

    const { model, source } = await importOnnx([file]);
    model.dispose();
    const nmLayers = result.report.layers.filter((l) => l.pattern === '2:4').map((l) => l.name);
    expect(nmLayers.length).toBeGreaterThan(25);
    const check = checkSparseOnnx({ onnx, bindings: source.bindings, masksJson: result.masksJson, masks: result.masks, nm: { n: 2, m: 4, layers: nmLayers } });
    expect(check).toMatchObject({ layers: 32, mismatches: 0, nmViolations: 0 });
    expect(check.nmGroups).toBeGreaterThan(50_000);
    expect(check.zeros).toBe(result.report.layers.reduce((s, l) => s + Math.round(l.sparsity * l.params), 0));
    // The dense file gives other logits: the pruned weights really are in the exported file.
    const dense = await logitsGap(new Uint8Array(file.bytes), sparse, x);
    expect(dense).toBeGreaterThan(1e-2);
    const sizes = result.report.deployment!.onnx!;
    expect(sizes.denseBytes).toBe(file.bytes.byteLength);
    expect(sizes.gzipSparseBytes).toBeLessThan(sizes.gzipDenseBytes);
    x.dispose();
    sparse.dispose();
  }, 900_000);

  it('a model with BatchNorm: re-estimated statistics and trained weights are written back into the .onnx', async () => {
    const { onnx: original } = tinyOnnx({ batchNorm: true });
    const result = await run([{ path: 'tiny-bn.onnx', bytes: original.slice().buffer }], images(8), { ...short, sparsity: 0.5, distribution: 'uniform', preprocess: 'unit' });
    const onnx = new Uint8Array(result.onnx!);
    const sparse = await loadSparse(result.modelJson, result.weights);
    const x = tf.randomUniform([5, 8, 8, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    expect(await logitsGap(onnx, sparse, x)).toBeLessThanOrEqual(1e-5);
    const inits = (bytes: Uint8Array) => new Map(decodeModel(bytes).graph!.initializer.map((t) => [t.name, tensorValue(t, 'x.onnx', new Map()).data]));
    const [before, after] = [inits(original), inits(onnx)];
    const tfWeights = weightsByName(result.modelJson, result.weights);
    expect(Array.from(after.get('bn.var')!)).toEqual(Array.from(tfWeights.get('bn/moving_variance')!.data));
    expect(maxAbsDiff(after.get('bn.var')!, before.get('bn.var')!)).toBeGreaterThan(1e-3);
    expect(Array.from(after.get('fc.bias')!)).toEqual(Array.from(tfWeights.get('fc/bias')!.data));
    const zeros = Array.from(after.get('conv.weight')!).filter((v) => v === 0).length;
    expect(zeros).toBe(54);
    x.dispose();
    sparse.dispose();
  }, 300_000);
});
