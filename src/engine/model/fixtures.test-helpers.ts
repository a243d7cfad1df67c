/** Test helpers: small real models turned into the files a user would drop (model.json + one shard). */
import * as tf from '@tensorflow/tfjs';
import type { NamedBytes } from '../../core/session-types';

/** model.json text and weight bytes of `model`, as tensorflowjs_converter would lay them out. */
export async function modelArtifacts(model: tf.LayersModel): Promise<{ json: Record<string, unknown>; weights: ArrayBuffer }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const a = saved!;
  const weights = a.weightData instanceof ArrayBuffer ? a.weightData : new tf.io.CompositeArrayBuffer(a.weightData).slice();
  const json = {
    format: 'layers-model',
    generatedBy: 'test',
    convertedBy: null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }],
  };
  return { json, weights };
}

/** Files for a model.json object and its one shard. */
export function filesOf(json: unknown, weights: ArrayBuffer, dir = ''): NamedBytes[] {
  const p = (n: string) => (dir ? `${dir}/${n}` : n);
  return [
    { path: p('model.json'), bytes: new TextEncoder().encode(JSON.stringify(json)).buffer as ArrayBuffer },
    { path: p('group1-shard1of1.bin'), bytes: weights },
  ];
}

/** A small CNN classifier: Conv2D -> BN -> DepthwiseConv2D -> SeparableConv2D -> Dense(softmax). */
export function smallCnn(classes = 4): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', name: 'c1' }),
      tf.layers.batchNormalization({ name: 'bn1' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw', useBias: false }),
      tf.layers.separableConv2d({ filters: 6, kernelSize: 3, padding: 'same', name: 'sep' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: classes, activation: 'softmax', name: 'out' }),
    ],
  });
}
