import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { join } from 'node:path';
import { readModelFolder } from '../../node/files';
import { sharedAssetsDir } from '../../node/test-assets';
import { loadModelFromFiles } from '../model/load';

function cifar(pool: 'gap' | 'max' | 'avg'): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 8, kernelSize: 3, padding: 'same' }));
  m.add(tf.layers.batchNormalization()); m.add(tf.layers.reLU());
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' }));
  m.add(tf.layers.batchNormalization()); m.add(tf.layers.activation({ activation: 'relu' }));
  if (pool === 'gap') m.add(tf.layers.globalAveragePooling2d({}));
  if (pool === 'max') { m.add(tf.layers.maxPooling2d({ poolSize: 2 })); m.add(tf.layers.flatten()); }
  if (pool === 'avg') { m.add(tf.layers.averagePooling2d({ poolSize: 2 })); m.add(tf.layers.flatten()); }
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}
async function used(model: tf.LayersModel, shape: number[]): Promise<Set<string>> {
  const x = tf.randomNormal(shape);
  const y = tf.oneHot(tf.zeros([shape[0]!], 'int32'), model.outputs[0]!.shape[1] as number);
  const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const prof = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
    tf.dispose([value, ...Object.values(grads)]);
  });
  return new Set(prof.kernelNames);
}
(async () => {
  await tf.setBackend('cpu');
  const mn = await loadModelFromFiles(await readModelFolder(join(sharedAssetsDir(), 'mobilenet_v1_0.25_224', 'model.json')));
  const all = new Set<string>();
  for (const n of await used(mn, [2, 224, 224, 3])) all.add(n);
  for (const p of ['gap', 'max', 'avg'] as const) for (const n of await used(cifar(p), [4, 32, 32, 3])) all.add(n);
  const mlp = tf.sequential({ layers: [tf.layers.dense({ inputShape: [20], units: 16, activation: 'relu' }), tf.layers.dropout({ rate: 0.2 }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
  for (const n of await used(mlp, [4, 20])) all.add(n);
  await tf.setBackend('wasm');
  console.log([...all].sort().join(' '));
  console.log('MISSING on wasm:', [...all].filter((n) => tf.getKernel(n, 'wasm') === undefined).sort());
})();
