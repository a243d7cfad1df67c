/**
 * Dense top-1 of the imported ONNX ResNets on the official CIFAR-10 test set (10,000 images),
 * through the studio's TF.js import and through ONNX Runtime side by side, with the studio's
 * 'imagenet' preprocessing (the torchvision convention the models were trained with).
 *   node bin/run-ts.mjs scripts/onnx/dense-accuracy.ts [--count N] [--backend wasm|cpu]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { normalizeParams } from '../../src/engine/data/preprocess';
import { importOnnx } from '../../src/engine/onnx/import-model';
import { onnxAsset, ortLogits, toNchw } from '../../src/engine/onnx/assets.test-helpers';
import { setupNodeBackend } from '../../src/node/backend';
// @ts-expect-error: plain ES module without types
import { ensureCifarTestSet } from '../cifar10/fetch.mjs';

const { values } = parseArgs({ options: { count: { type: 'string' }, backend: { type: 'string' } } });
const count = Number(values.count ?? 10000);
console.error(await setupNodeBackend(values.backend ?? 'wasm'));
const pkg = ensureCifarTestSet() as string;
const sheet = PNG.sync.read(readFileSync(join(pkg, 'test_batch.png')));
const labels = (JSON.parse(readFileSync(join(pkg, 'test_lables.json'), 'utf8')) as (number | string)[]).map(Number);
const { scale, offset } = normalizeParams('imagenet', 3);
const argmax = (a: Float32Array, i: number) => {
  let best = 0;
  for (let k = 1; k < 10; k++) if (a[i * 10 + k]! > a[i * 10 + best]!) best = k;
  return best;
};

for (const name of ['resnet32.onnx', 'resnet56-bn.onnx'] as const) {
  const file = onnxAsset(name);
  const { model } = await importOnnx([file]);
  let ours = 0;
  let ref = 0;
  let agree = 0;
  const t0 = performance.now();
  for (let from = 0; from < count; from += 200) {
    const n = Math.min(200, count - from);
    const x = new Float32Array(n * 3072);
    for (let i = 0; i < n; i++) for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) {
      x[i * 3072 + p * 3 + c] = sheet.data[((from + i) * 1024 + p) * 4 + c]! * scale[c]! + offset[c]!;
    }
    const logits = tf.tidy(() => (model.predict(tf.tensor4d(x, [n, 32, 32, 3])) as tf.Tensor).dataSync() as Float32Array);
    const r = await ortLogits(file.bytes, toNchw(x, n, 32, 32, 3), [n, 3, 32, 32]);
    for (let i = 0; i < n; i++) {
      const a = argmax(logits, i);
      const b = argmax(r, i);
      ours += a === labels[from + i] ? 1 : 0;
      ref += b === labels[from + i] ? 1 : 0;
      agree += a === b ? 1 : 0;
    }
  }
  const pct = (k: number) => `${((100 * k) / count).toFixed(2)}%`;
  console.log(`${name}: top-1 ${pct(ours)} (studio import, ${tf.getBackend()}), ${pct(ref)} (ONNX Runtime), same class on ${pct(agree)} of ${count} images, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  model.dispose();
}
