/** A small model, image set and settings for pipeline tests (Node, cpu backend). */
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { quickLook, type PruneOptions } from '../../core/options';
import { Rng } from '../../core/rng';
import type { NamedBytes } from '../../core/session-types';
import { decodeNode } from '../../node/decode';
import { filesOf, modelArtifacts } from '../model/fixtures.test-helpers';
import { StudioSession } from '../session';

/** A small CNN with BatchNorm, ending in softmax, for 12x12 RGB inputs and 4 classes. */
export function cnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 8, kernelSize: 3, padding: 'same', name: 'c1', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.batchNormalization({ name: 'bn1' }),
      tf.layers.reLU({}),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', name: 'c2', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      tf.layers.batchNormalization({ name: 'bn2' }),
      tf.layers.reLU({}),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 4, name: 'fc', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      tf.layers.activation({ activation: 'softmax', name: 'prob' }),
    ],
  });
}

/** 12x12 PNGs in class folders 0..3: a class colour plus seeded noise (another seed, other images). */
export function images(perClass: number, seed = 5): NamedBytes[] {
  const rng = new Rng(seed);
  const out: NamedBytes[] = [];
  for (let c = 0; c < 4; c++) {
    for (let k = 0; k < perClass; k++) {
      const img = new PNG({ width: 12, height: 12 });
      for (let i = 0; i < 144; i++) {
        const base = [c === 0 ? 200 : 40, c === 1 ? 200 : 40, c === 2 ? 200 : 40];
        if (c === 3) base.fill(140);
        img.data.set([...base.map((v) => Math.max(0, Math.min(255, v + (rng.next() - 0.5) * 120))), 255], i * 4);
      }
      out.push({ path: `imgs/${c}/${k}.png`, bytes: Uint8Array.from(PNG.sync.write(img)).buffer });
    }
  }
  return out;
}

export const opts: PruneOptions = {
  ...quickLook,
  sparsity: 0.6,
  population: 4,
  generations: 2,
  parents: 2,
  fitnessImages: 16,
  epochs: 2,
  batchSize: 8,
  evalsPerRun: 2,
  preprocess: 'unit',
};

export async function session(): Promise<StudioSession> {
  const s = new StudioSession({ decode: decodeNode, backend: 'cpu' });
  const { json, weights } = await modelArtifacts(cnn());
  await s.loadModel(filesOf(json, weights, 'cnn'));
  await s.loadImages(images(8));
  return s;
}

