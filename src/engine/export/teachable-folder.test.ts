/**
 * The real Teachable Machine export, pruned and written back as a Teachable Machine folder:
 * served over HTTP, tf.loadLayersModel reads it and predicts exactly like the sparse model in
 * memory, and the studio loads it again with its labels.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeachableMetadata } from '../../core/teachable/metadata';
import { teachableFolder } from '../../core/teachable/folder';
import { readModelFolder } from '../../node/files';
import { loadModelFromFiles } from '../model/load';
import { summarizeModel } from '../model/prunable';
import { exportLayersModel } from './export-model';

const DIR = 'src/engine/export/fixtures/teachable-machine-waste';

/** Serves `files` at /tm/<name> on a free local port. */
async function serve(files: Record<string, string | Uint8Array>): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const name = (req.url ?? '').replace(/^\/tm\//, '');
    const body = files[name];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tm/` };
}

describe('Teachable Machine folder of a sparse model', () => {
  let server: Server | null = null;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => server?.close());

  it('reloads with tf.loadLayersModel and predicts like the sparse model; metadata keeps the labels', async () => {
    const model = await loadModelFromFiles(await readModelFolder(`${DIR}/model.json`));
    const summary = summarizeModel(model, 'teachable-machine-waste');
    expect(summary.numClasses).toBe(12);
    // Half of every prunable kernel set to exact zeros (smallest |w|), as an exported sparse model has.
    for (const p of summary.prunable) {
      const v = model.weights.find((w) => w.originalName.endsWith(`${p.name}/kernel`) || w.originalName.endsWith(`${p.name}/depthwise_kernel`));
      if (!v) continue;
      const w = v.read();
      const flat = (await w.data()) as Float32Array;
      const cut = [...flat].map(Math.abs).sort((a, b) => a - b)[Math.floor(flat.length / 2)]!;
      tf.tidy(() => (v as unknown as { write(t: tf.Tensor): void }).write(tf.where(tf.less(tf.abs(w), cut), tf.zerosLike(w), w)));
    }
    const exported = await exportLayersModel(model);
    const meta = parseTeachableMetadata(readFileSync(`${DIR}/metadata.json`, 'utf8'));
    const folder = teachableFolder(exported.modelJson, exported.weights, meta, { tfjsVersion: tf.version.tfjs, sparsity: 0.5, pattern: 'unstructured', timeStamp: new Date().toISOString() });
    expect(Object.keys(folder).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
    expect(JSON.parse(folder['metadata.json'] as string).labels).toEqual(meta.labels);
    const s = await serve(folder);
    server = s.server;
    const reloaded = await tf.loadLayersModel(`${s.base}model.json`);
    const x = tf.randomUniform([3, 224, 224, 3], -1, 1, 'float32', 7);
    const a = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const b = (reloaded.predict(x) as tf.Tensor).arraySync() as number[][];
    a.forEach((row, i) => row.forEach((v, k) => expect(Math.abs(v - b[i]![k]!)).toBeLessThan(1e-6)));
    // A pruned kernel really arrived as zeros.
    const zeros = reloaded.getWeights().filter((w) => w.shape.length === 4).map((w) => (w.dataSync() as Float32Array).filter((v) => v === 0).length);
    expect(Math.max(...zeros)).toBeGreaterThan(0);
    x.dispose();
    reloaded.dispose();
    model.dispose();
  }, 120_000);
});
