/** Node-side checks of a downloaded sparse model: unzip, reload with TF.js (CPU), count zeros. */
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import type { LayerReport } from '../src/core/events';

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Loads the zipped model.json + weights exactly as a user of the download would. */
export async function loadZippedModel(zip: Uint8Array): Promise<tf.LayersModel> {
  await tf.setBackend('cpu');
  const files = unzipSync(zip);
  const json = files['model.json'];
  if (!json) throw new Error(`model.json missing from the zip (has: ${Object.keys(files).join(', ')})`);
  const model = JSON.parse(strFromU8(json)) as ModelJson;
  const paths = model.weightsManifest.flatMap((g) => g.paths);
  const parts = paths.map((p) => {
    const bytes = files[p];
    if (!bytes) throw new Error(`weight file ${p} named by model.json is missing from the zip`);
    return bytes;
  });
  const total = parts.reduce((n, b) => n + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let at = 0;
  for (const b of parts) {
    weightData.set(b, at);
    at += b.byteLength;
  }
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: model.modelTopology,
      weightSpecs: model.weightsManifest.flatMap((g) => g.weights),
      weightData: weightData.buffer,
    }),
  );
}

/** The kernel a report row names: "<layer>", or "<layer>/depthwise|pointwise" for separable convs. */
function kernelOf(model: tf.LayersModel, name: string): tf.LayerVariable {
  const [base, part] = name.split('/');
  const layer = model.getLayer(base!);
  const wanted = part === 'pointwise' ? /pointwise_kernel/ : part === 'depthwise' ? /depthwise_kernel/ : /kernel/;
  const v = layer.weights.find((w) => wanted.test(w.originalName) || wanted.test(w.name));
  if (!v) throw new Error(`no kernel for ${name} among ${layer.weights.map((w) => w.name).join(', ')}`);
  return v;
}

/** Fraction of exact zeros in each reported kernel of the reloaded model. */
export function measuredSparsity(model: tf.LayersModel, layers: LayerReport[]): number[] {
  return layers.map((l) => {
    const values = kernelOf(model, l.name).read().dataSync();
    let zeros = 0;
    for (const v of values) if (v === 0) zeros++;
    return zeros / values.length;
  });
}
