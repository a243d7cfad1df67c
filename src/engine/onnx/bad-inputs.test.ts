import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedBytes } from '../../core/session-types';
import { decodeNode } from '../../node/decode';
import { InputError } from '../errors';
import { StudioSession } from '../session';
import { maxAbsDiff, onnxAsset } from './test-assets';
import { tinyOnnx, type TinyOptions } from './test-fixtures';

const buf = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;
const files = (o: TinyOptions = {}, name = 'tiny.onnx'): NamedBytes[] => [{ path: name, bytes: buf(tinyOnnx(o).onnx) }];

/** The bad-input table: what is dropped, and what the message must say. */
const CASES: { case: string; files: () => NamedBytes[]; file: string; problem: RegExp }[] = [
  {
    case: 'a truncated file',
    files: () => [{ path: 'cut.onnx', bytes: onnxAsset('resnet32.onnx').bytes.slice(0, 100_000) }],
    file: 'cut.onnx',
    problem: /cut\.onnx: not a readable ONNX file .*truncated/,
  },
  {
    case: 'an op the importer does not know',
    files: () => files({ activation: 'Mish' }),
    file: 'tiny.onnx',
    problem: /tiny\.onnx: node "act" \(Mish\): the op Mish is not supported by the importer\. Supported: .*Conv/,
  },
  {
    case: 'a dynamic spatial size',
    files: () => files({ inputDims: ['N', 3, 'height', 'width'] }),
    file: 'tiny.onnx',
    problem: /tiny\.onnx: input "image" \[N, 3, height, width\] has a dynamic height or width.*fixed input size/,
  },
  {
    case: 'two inputs',
    files: () => files({ secondInput: true }),
    file: 'tiny.onnx',
    problem: /tiny\.onnx: the model has 2 inputs \("image", "mask"\)\. .*one float input/,
  },
  {
    case: 'an input that is not an image',
    files: () => files({ inputDims: ['N', 192] }),
    file: 'tiny.onnx',
    problem: /tiny\.onnx: input "image" is a rank-2 tensor \[N, 192\] .*not an image/,
  },
  {
    case: 'external data not dropped',
    files: () => files({ externalWeights: 'tiny.weights' }),
    file: 'tiny.weights',
    problem: /tiny\.onnx: the weights of "conv\.weight" are stored in the external file "tiny\.weights", which was not dropped\. Drop tiny\.weights together with tiny\.onnx/,
  },
  {
    case: 'an opset outside 11-18',
    files: () => files({ opset: 9 }),
    file: 'tiny.onnx',
    problem: /tiny\.onnx: uses ONNX opset 9; the importer reads opsets 11 to 18/,
  },
];

describe('bad ONNX inputs', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('each case gets a clear message naming the file and the problem, and the loaded model stays', async () => {
    const session = new StudioSession({ decode: decodeNode, backend: 'cpu' });
    const good = await session.loadModel(files());
    const before = tf.memory().numTensors;
    for (const c of CASES) {
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
