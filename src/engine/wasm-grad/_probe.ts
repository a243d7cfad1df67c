import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { readModelFolder } from '../../node/files';
import { sharedAssetsDir } from '../../node/test-assets';
import { loadModelFromFiles } from '../model/load';
import { registerWasmTrainingKernels } from './index';

async function step(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): Promise<Record<string, Float32Array>> {
  const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
  const out: Record<string, Float32Array> = {};
  for (const [k, g] of Object.entries(grads)) out[k] = g.dataSync() as Float32Array;
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}
(async () => {
  console.log(registerWasmTrainingKernels());
  await tf.setBackend('cpu');
  const mn = await loadModelFromFiles(await readModelFolder(join(sharedAssetsDir(), 'mobilenet_v1_0.25_224', 'model.json')));
  for (const l of mn.layers) if (l.getClassName() === 'Dropout') (l as unknown as { rate: number }).rate = 0;
  const S = Number(process.argv[2] ?? 64);
  const x = tf.randomNormal([2, S, S, 3], 0, 1, 'float32', 1); const y = tf.oneHot(tf.tensor1d([3, 7], 'int32'), 1000);
  let t = performance.now();
  const gc0 = await step(mn, x, y); const gc = await step(mn, x, y); { let w=0; for (const k of Object.keys(gc)) { const a=gc[k]!, b=gc0[k]!; let d=0,s=0; for (let i=0;i<a.length;i++){d=Math.max(d,Math.abs(a[i]!-b[i]!)); s=Math.max(s,Math.abs(a[i]!));} w=Math.max(w,d/(s||1)); } console.log('cpu vs cpu', w); } console.log('cpu ms', performance.now() - t);
  await tf.setBackend('wasm');
  t = performance.now();
  const gw = await step(mn, x, y); console.log('wasm ms', performance.now() - t);
  t = performance.now();
  await step(mn, x, y); console.log('wasm ms', performance.now() - t);
  let worst = 0;
  for (const k of Object.keys(gc)) {
    const a = gc[k]!, b = gw[k]!; let d = 0, s = 0;
    for (let i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i]! - b[i]!)); s = Math.max(s, Math.abs(a[i]!)); }
    worst = Math.max(worst, d / (s || 1)); if (d / (s || 1) > 2e-4) console.log(k, d / s);
    
  }
  console.log('worst rel', worst, Object.keys(gc).length);
})();
