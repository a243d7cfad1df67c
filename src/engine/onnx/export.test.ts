import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { quickLook, type PruneOptions } from '../../core/options';
import { decodeNode } from '../../node/decode';
import { setupNodeBackend } from '../../node/backend';
import { readFolder } from '../../node/files';
import { StudioSession } from '../session';
import { checkSparseOnnx } from './check-export';
import { importOnnx } from './import-model';
import { maxAbsDiff, onnxAsset, ortLogits, toNchw } from './test-assets';

const opts: PruneOptions = {
  ...quickLook,
  pattern: { kind: 'nm', n: 2, m: 4 },
  epochs: 1,
  batchSize: 8,
  evalsPerRun: 1,
  bnBatches: 1,
  heldOut: 0.25,
  preprocess: 'imagenet',
};

describe('sparse ONNX export', () => {
  beforeAll(async () => {
    // wasm with the studio's training kernels: ResNet-56 training steps on the cpu backend take minutes.
    await setupNodeBackend('wasm');
  });

  it('resnet56-bn at 2:4: the .onnx runs in ONNX Runtime with the sparse TF.js model\'s logits, zeros where the masks say, 2:4 along input channels', async () => {
    const file = onnxAsset('resnet56-bn.onnx');
    const session = new StudioSession({ decode: decodeNode, backend: tf.getBackend() });
    await session.loadModel([file]);
    const images = (await readFolder('public/demo/cifar10/images')).filter((_, i) => i % 10 === 0);
    await session.loadImages(images);
    const ac = new AbortController();
    const result = await session.run(opts, () => {}, ac.signal);
    expect(result.onnx).toBeTruthy();
    const onnx = new Uint8Array(result.onnx!);

    // Logits: the exported TF.js model and the exported ONNX file on the same (preprocessed) images.
    const sparse = await tf.loadLayersModel(tf.io.fromMemory({ ...(JSON.parse(result.modelJson) as tf.io.ModelJSON), weightSpecs: (JSON.parse(result.modelJson) as { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] }).weightsManifest[0]!.weights, weightData: result.weights }));
    const x = tf.randomUniform([6, 32, 32, 3], -2, 2, 'float32', 11);
    const ours = (await (sparse.predict(x) as tf.Tensor).data()) as Float32Array;
    const ref = await ortLogits(onnx, toNchw((await x.data()) as Float32Array, 6, 32, 32, 3), [6, 3, 32, 32]);
    expect(maxAbsDiff(ours, ref)).toBeLessThanOrEqual(1e-4);

    // Zeros: the ONNX initializers against masks.bin.
    const { model, source } = await importOnnx([file]);
    const nmLayers = result.report.layers.filter((l) => l.pattern === '2:4').map((l) => l.name);
    expect(nmLayers.length).toBeGreaterThan(50);
    const check = checkSparseOnnx({ onnx, bindings: source.bindings, masksJson: result.masksJson, masks: result.masks, nm: { n: 2, m: 4, layers: nmLayers } });
    expect(check.layers).toBe(56);
    expect(check.mismatches).toBe(0);
    expect(check.nmViolations).toBe(0);
    expect(check.nmGroups).toBeGreaterThan(100_000);
    expect(check.zeros / check.weights).toBeGreaterThan(0.45);
    // BN statistics were re-estimated and written back: some running_var differs from the dense file.
    const dense = await ortLogits(file.bytes, toNchw((await x.data()) as Float32Array, 6, 32, 32, 3), [6, 3, 32, 32]);
    expect(maxAbsDiff(dense, ref)).toBeGreaterThan(1e-3);
    expect(result.report.deployment!.onnx!.sparseBytes).toBeGreaterThan(3_000_000);
    expect(result.report.deployment!.onnx!.gzipSparseBytes).toBeLessThan(result.report.deployment!.onnx!.gzipDenseBytes);
    tf.dispose([x]);
    sparse.dispose();
    model.dispose();
    session.dispose();
  });
});
