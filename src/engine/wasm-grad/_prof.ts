import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { readModelFolder } from '../../node/files';
import { sharedAssetsDir } from '../../node/test-assets';
import { loadModelFromFiles } from '../model/load';
import { registerWasmTrainingKernels } from './index';

(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  const times = new Map<string, [number, number]>();
  for (const k of tf.getKernelsForBackend('wasm')) {
    const f = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({ ...k, kernelFunc: (a) => { const t = performance.now(); const r = f(a); const e = times.get(k.kernelName) ?? [0, 0]; e[0] += performance.now() - t; e[1]++; times.set(k.kernelName, e); return r; } });
  }
  const mn = await loadModelFromFiles(await readModelFolder(join(sharedAssetsDir(), 'mobilenet_v1_0.25_224', 'model.json')));
  const B = Number(process.argv[2] ?? 8);
  const x = tf.randomNormal([B, 224, 224, 3]); const y = tf.oneHot(tf.zeros([B], 'int32'), 1000);
  const vars = model_vars(mn);
  for (let it = 0; it < 3; it++) {
    if (it === 2) times.clear();
    const t = performance.now();
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, mn.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
    console.log('step ms', performance.now() - t);
  }
  const rows = [...times.entries()].sort((a, b) => b[1][0] - a[1][0]);
  for (const [k, [ms, n]] of rows.slice(0, 25)) console.log(k.padEnd(40), ms.toFixed(1).padStart(8), n);
})();
function model_vars(m: tf.LayersModel) { return m.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val); }
