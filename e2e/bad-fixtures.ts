/**
 * Bad inputs for the browser suite, generated here: broken model folders (from the same small
 * models the Node loader tests use) and broken images, including a real 12000x12000 PNG.
 */
import { once } from 'node:events';
import zlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { modelArtifacts, smallCnn } from '../src/engine/model/fixtures.test-helpers';

/** A file as Playwright's setInputFiles takes it. */
export interface UploadFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

const SHARD = 'group1-shard1of1.bin';
const jsonFile = (value: unknown): UploadFile => ({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value)) });
const shardFile = (bytes: ArrayBuffer | Buffer): UploadFile => ({ name: SHARD, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes as ArrayBuffer) });

/** model.json + shard of `model`, as tensorflowjs_converter lays them out. */
async function modelFiles(model: tf.LayersModel): Promise<{ json: Record<string, unknown>; weights: ArrayBuffer }> {
  await tf.setBackend('cpu');
  return modelArtifacts(model);
}

/** Every broken model folder of the suite, by case name. */
export async function badModels(): Promise<Record<string, UploadFile[]>> {
  const { json, weights } = await modelFiles(smallCnn(4));
  const manifest = () => structuredClone(json['weightsManifest']) as { weights: { dtype: string }[] }[];
  const float64 = manifest();
  float64[0]!.weights[0]!.dtype = 'float64';
  const topology = structuredClone(json['modelTopology']) as { config: { layers: { class_name: string; config: { name: string } }[] } };
  topology.config.layers.find((l) => l.config.name === 'flat')!.class_name = 'FancyFlatten';
  const noPrunable = await modelFiles(
    tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 3] }), tf.layers.activation({ activation: 'softmax' })] }),
  );
  const featureMap = await modelFiles(tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 })] }));
  const graph = { format: 'graph-model', modelTopology: { node: [{ name: 'x', op: 'Placeholder' }] }, weightsManifest: [{ paths: [SHARD], weights: [] }] };
  return {
    'model.json that is not JSON': [
      { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "modelTopology": {\n    "a": nope\n}') },
      shardFile(weights),
    ],
    'graph model, not a layers model': [jsonFile(graph), shardFile(Buffer.alloc(0))],
    'missing weight shard': [jsonFile(json)],
    'shard of the wrong size': [jsonFile(json), shardFile(weights.slice(0, weights.byteLength - 8))],
    'manifest names an unknown dtype': [jsonFile({ ...json, weightsManifest: float64 }), shardFile(weights)],
    'layer class TF.js does not know': [jsonFile({ ...json, modelTopology: topology }), shardFile(weights)],
    'no prunable layer': [jsonFile(noPrunable.json), shardFile(noPrunable.weights)],
    'output is not a class score vector': [jsonFile(featureMap.json), shardFile(featureMap.weights)],
  };
}

/** A small solid-colour PNG. */
export function smallPng(red = 120): Buffer {
  const img = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < 64; i++) img.data.set([red, 60, 30, 255], i * 4);
  return PNG.sync.write(img);
}

/** A 64x64 JPEG cut 60 bytes before its end. */
export function truncatedJpeg(): Buffer {
  const full = jpeg.encode({ width: 64, height: 64, data: Buffer.alloc(64 * 64 * 4, 140) }, 90).data;
  return Buffer.from(full.subarray(0, full.length - 60));
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A real, valid RGB PNG of `side` x `side` pixels: a grey field with one dark stripe. Rows are
 * streamed through deflate, so the 432 MB of pixels (for 12000) never sit in memory at once and
 * the file is well under a megabyte.
 */
export async function hugePng(side: number): Promise<Buffer> {
  const plain = Buffer.alloc(1 + side * 3, 128);
  plain[0] = 0; // filter type None
  const stripe = Buffer.from(plain);
  stripe.fill(20, 1);
  const deflate = zlib.createDeflate({ level: 6 });
  const parts: Buffer[] = [];
  deflate.on('data', (c: Buffer) => parts.push(c));
  const ended = once(deflate, 'end');
  for (let y = 0; y < side; y++) {
    if (!deflate.write(y % 1000 < 10 ? stripe : plain)) await once(deflate, 'drain');
  }
  deflate.end();
  await ended;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', Buffer.concat(parts)), chunk('IEND', Buffer.alloc(0))]);
}
