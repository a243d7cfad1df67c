import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedBytes } from '../../core/session-types';
import { InputError } from '../errors';
import { loadModelFromFiles, readModelJson } from './load';
import { filesOf, modelArtifacts, smallCnn } from './fixtures.test-helpers';

const text = (path: string, s: string): NamedBytes => ({ path, bytes: new TextEncoder().encode(s).buffer as ArrayBuffer });

/** Runs the loader and returns the InputError it throws. */
async function failure(files: NamedBytes[]): Promise<InputError> {
  try {
    await loadModelFromFiles(files);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected loadModelFromFiles to fail');
}

describe('loadModelFromFiles', () => {
  let json: Record<string, unknown>;
  let weights: ArrayBuffer;
  const manifest = () => structuredClone(json['weightsManifest']) as { paths: string[]; weights: { name: string; dtype: string }[] }[];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    ({ json, weights } = await modelArtifacts(smallCnn()));
  });

  it('round-trips a saved model with identical weights and predictions', async () => {
    const original = smallCnn();
    const a = await modelArtifacts(original);
    const loaded = await loadModelFromFiles(filesOf(a.json, a.weights, 'export/my_model'));
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 7);
    const diff = tf.sub(original.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor).abs().max().dataSync()[0]!;
    expect(diff).toBeLessThan(1e-6);
    expect(loaded.countParams()).toBe(original.countParams());
  });

  it('prefers model.json at the shallowest path', () => {
    const files = [...filesOf(json, weights, 'a/b'), ...filesOf(json, weights, 'a'), text('a/other.json', '{}')];
    expect(readModelJson(files).path).toBe('a/model.json');
  });

  it('says when no model.json was dropped', async () => {
    const e = await failure([text('readme.txt', 'hi')]);
    expect(e.message).toMatch(/No model\.json among the 1 dropped file/);
  });

  it('rejects a model.json that is not JSON, naming the line', async () => {
    const e = await failure([text('model.json', '{\n  "modelTopology": {\n    "a": nope\n}')]);
    expect(e.file).toBe('model.json');
    // V8 says where only for some errors; an unexpected token is located by the studio's own scan.
    expect(e.message).toMatch(/^model\.json: not valid JSON \(Unexpected token 'o' at line 3\)\. Drop the model\.json exported by tf\.keras/);
    const e2 = await failure([text('model.json', '{\n"a": 1,\n}')]);
    expect(e2.message).toMatch(/not valid JSON \(.*at line 3\)/);
  });

  it('explains that a graph model is not a layers model and how to convert', async () => {
    const graph = { format: 'graph-model', modelTopology: { node: [{ name: 'x', op: 'Placeholder' }] }, weightsManifest: [] };
    const e = await failure([text('model.json', JSON.stringify(graph))]);
    expect(e.message).toMatch(/model\.json: this is a TF\.js graph model/);
    expect(e.message).toMatch(/needs a layers model/);
    expect(e.message).toMatch(/--output_format=tfjs_layers_model/);
    const noFormat = { modelTopology: { node: [] }, weightsManifest: [] };
    expect((await failure([text('model.json', JSON.stringify(noFormat))])).message).toMatch(/graph model/);
  });

  it('names a missing weight shard', async () => {
    const e = await failure([filesOf(json, weights)[0]!]);
    expect(e.file).toBe('group1-shard1of1.bin');
    expect(e.message).toMatch(/^group1-shard1of1\.bin: weight file named in model\.json is missing/);
  });

  it('names a shard of the wrong size with expected and actual bytes', async () => {
    const [mj] = filesOf(json, weights, 'm');
    const cut = weights.slice(0, weights.byteLength - 8);
    const e = await failure([mj!, { path: 'm/group1-shard1of1.bin', bytes: cut }]);
    expect(e.file).toBe('m/group1-shard1of1.bin');
    expect(e.message).toContain(`expected ${weights.byteLength} bytes`);
    expect(e.message).toContain(`holds ${weights.byteLength - 8} bytes`);
  });

  it('names a weight with a dtype TF.js cannot read', async () => {
    const m = manifest();
    m[0]!.weights[0]!.dtype = 'float64';
    const e = await failure(filesOf({ ...json, weightsManifest: m }, weights));
    expect(e.message).toBe(
      `model.json: weight "${m[0]!.weights[0]!.name}" has dtype "float64", which TF.js cannot load (supported: float32, int32, bool). ` +
        'Re-export the model with tensorflowjs_converter (default float32 weights).',
    );
  });

  it('names an unknown layer class and the layer that uses it', async () => {
    const topo = structuredClone(json['modelTopology']) as { config: { layers: { class_name: string; config: { name: string } }[] } };
    const flat = topo.config.layers.find((l) => l.config.name === 'flat')!;
    flat.class_name = 'FancyFlatten';
    const e = await failure(filesOf({ ...json, modelTopology: topo }, weights));
    expect(e.file).toBe('model.json');
    expect(e.message).toMatch(/^model\.json: layer "flat" of class "FancyFlatten", which TF\.js does not know/);
  });

  it('says when the weights do not fit the layers', async () => {
    const m = manifest() as unknown as { weights: { shape: number[] }[] }[];
    const w = m[0]!.weights[0]!;
    w.shape = [w.shape[3]!, w.shape[0]!, w.shape[1]!, w.shape[2]!];
    const e = await failure(filesOf({ ...json, weightsManifest: m }, weights));
    expect(e.message).toBe(
      'model.json: the weight files do not match the layers (Shape mismatch: [3,3,3,4] vs. [4,3,3,3]). ' +
        'Drop model.json together with the shards exported with it.',
    );
  });

  it('says when JSON is not a model at all', async () => {
    const e = await failure([text('model.json', '[1, 2]')]);
    expect(e.message).toMatch(/^model\.json: holds JSON but not a model .*--output_format=tfjs_layers_model/);
    const noWeights = await failure([text('model.json', JSON.stringify({ modelTopology: json['modelTopology'] }))]);
    expect(noWeights.message).toMatch(/^model\.json: has no weightsManifest/);
  });
});
