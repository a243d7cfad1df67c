import * as tf from '@tensorflow/tfjs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../engine/errors';
import { loadModelFromFiles } from '../engine/model/load';
import { readFolder, readModelFolder } from './files';

describe('files', () => {
  let dir: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'pts-files-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a folder recursively, sorted, with / paths and exact bytes', async () => {
    const root = join(dir, 'imgs');
    await mkdir(join(root, 'b', 'deep'), { recursive: true });
    await mkdir(join(root, 'a'), { recursive: true });
    await writeFile(join(root, 'b', 'deep', 'z.bin'), Buffer.from([1, 2, 3]));
    await writeFile(join(root, 'a', 'y.txt'), 'hello');
    await writeFile(join(root, 'top.txt'), '');
    const files = await readFolder(root);
    expect(files.map((f) => f.path)).toEqual(['a/y.txt', 'b/deep/z.bin', 'top.txt']);
    expect(Array.from(new Uint8Array(files[1]!.bytes))).toEqual([1, 2, 3]);
    expect(files[0]!.bytes.byteLength).toBe(5);
  });

  it('reads model.json and the shards its manifest names, leaving a missing one for the loader to name', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, name: 'd' })] });
    const root = join(dir, 'model');
    await mkdir(root, { recursive: true });
    await m.save(tf.io.withSaveHandler(async (a) => {
      const data = new Uint8Array(a.weightData as ArrayBuffer);
      const manifest = [
        { paths: ['group1-shard1of1.bin'], weights: [a.weightSpecs![0]] },
        { paths: ['group2-shard1of1.bin'], weights: [a.weightSpecs![1]] },
      ];
      await writeFile(join(root, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: manifest }));
      await writeFile(join(root, 'group1-shard1of1.bin'), data.subarray(0, 24));
      await writeFile(join(root, 'unrelated.bin'), data);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const files = await readModelFolder(join(root, 'model.json'));
    expect(files.map((f) => [f.path, f.bytes.byteLength])).toEqual([['model.json', files[0]!.bytes.byteLength], ['group1-shard1of1.bin', 24]]);
    const e = await loadModelFromFiles(files).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toMatch(/^group2-shard1of1\.bin: weight file named in model\.json is missing/);
    await writeFile(join(root, 'group2-shard1of1.bin'), new Uint8Array(8));
    const loaded = await loadModelFromFiles(await readModelFolder(join(root, 'model.json')));
    expect(loaded.getLayer('d').getWeights()[1]!.dataSync()).toEqual(new Float32Array([0, 0]));
  });
});
