import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeNode } from '../../node/decode';
import { InputError } from '../errors';
import { StudioSession } from '../session';
import { maxAbsDiff } from './assets.test-helpers';
import { BAD_ONNX } from './bad-cases.test-helpers';
import { tinyOnnx } from './fixtures.test-helpers';

const buf = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;

describe('bad ONNX inputs', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('each case gets a clear message naming the file and the problem, and the loaded model stays', async () => {
    const session = new StudioSession({ decode: decodeNode, backend: 'cpu' });
    const good = await session.loadModel([{ path: 'tiny.onnx', bytes: buf(tinyOnnx().onnx) }]);
    const before = tf.memory().numTensors;
    for (const c of BAD_ONNX) {
      const err = await session.loadModel(c.files()).then(() => null, (e: unknown) => e);
      expect(err, c.case).toBeInstanceOf(InputError);
      expect((err as InputError).file, c.case).toBe(c.file);
      expect((err as InputError).message, c.case).toMatch(c.problem);
      expect(session.modelSummary, c.case).toBe(good);
    }
    // Failed imports free what they built.
    expect(tf.memory().numTensors).toBe(before);
    session.dispose();
  });

  it('external data dropped together loads, and matches ONNX Runtime reading it from disk', async () => {
    const { onnx, external } = tinyOnnx({ externalWeights: 'tiny.weights' });
    const session = new StudioSession({ decode: decodeNode, backend: 'cpu' });
    const summary = await session.loadModel([{ path: 'm/tiny.onnx', bytes: buf(onnx) }, { path: 'm/tiny.weights', bytes: buf(external!) }]);
    expect(summary.format).toMatch(/^ONNX \(opset 13/);
    expect(summary.prunable.map((k) => k.name)).toEqual(['conv', 'fc']);
    const dir = mkdtempSync(join(tmpdir(), 'pts-onnx-'));
    writeFileSync(join(dir, 'tiny.onnx'), onnx);
    writeFileSync(join(dir, 'tiny.weights'), external!);
    const ortSession = await ort.InferenceSession.create(join(dir, 'tiny.onnx'));
    const x = tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', 4);
    const ref = (await ortSession.run({ image: new ort.Tensor('float32', x.dataSync() as Float32Array, [2, 3, 8, 8]) }))['scores']!.data as Float32Array;
    const model = (session as unknown as { model: tf.LayersModel }).model;
    const ours = tf.tidy(() => (model.predict(tf.transpose(x, [0, 2, 3, 1])) as tf.Tensor).dataSync());
    expect(maxAbsDiff(ours, ref)).toBeLessThanOrEqual(1e-5);
    await ortSession.release();
    x.dispose();
    session.dispose();
  });
});
