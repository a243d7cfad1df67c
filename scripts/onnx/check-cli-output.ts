/**
 * Checks a CLI run on an ONNX model: <out>/model.onnx runs in ONNX Runtime, holds exactly the
 * zeros masks.bin says (N:M groups along input channels for N:M runs), and its top-1 on labelled
 * images not used for calibration, next to the report's dense / one-shot / returned figures.
 *   node bin/run-ts.mjs scripts/onnx/check-cli-output.ts --onnx model.onnx --out <dir> --images <labelled dir>
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import type { RunReport } from '../../src/core/events';
import { normalizeParams } from '../../src/engine/data/preprocess';
import { checkSparseOnnx } from '../../src/engine/onnx/check-export';
import { importOnnx } from '../../src/engine/onnx/import-model';
import { ortLogits, toNchw } from '../../src/engine/onnx/assets.test-helpers';

const { values } = parseArgs({ options: { onnx: { type: 'string' }, out: { type: 'string' }, images: { type: 'string' } } });
const [onnxPath, out, images] = [values.onnx!, values.out!, values.images!];
await tf.setBackend('cpu');
const original = readFileSync(onnxPath);
const { model, source } = await importOnnx([{ path: onnxPath, bytes: original.buffer.slice(original.byteOffset, original.byteOffset + original.byteLength) as ArrayBuffer }]);
model.dispose();
const sparse = new Uint8Array(readFileSync(join(out, 'model.onnx')));
const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
const nm = /^(\d+):(\d+)$/.exec(report.pattern);
const check = checkSparseOnnx({
  onnx: sparse,
  bindings: source.bindings,
  masksJson: readFileSync(join(out, 'masks.json'), 'utf8'),
  masks: new Uint8Array(readFileSync(join(out, 'masks.bin'))).buffer,
  ...(nm ? { nm: { n: Number(nm[1]), m: Number(nm[2]), layers: report.layers.filter((l) => l.pattern === report.pattern).map((l) => l.name) } } : {}),
});

const files = readdirSync(images).flatMap((c) => readdirSync(join(images, c)).map((f) => ({ label: Number(c), path: join(images, c, f) })));
const { scale, offset } = normalizeParams('imagenet', 3);
const top1 = async (bytes: Uint8Array): Promise<number> => {
  let right = 0;
  for (let from = 0; from < files.length; from += 250) {
    const batch = files.slice(from, from + 250);
    const x = new Float32Array(batch.length * 3072);
    batch.forEach((f, i) => {
      const png = PNG.sync.read(readFileSync(f.path));
      for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) x[i * 3072 + p * 3 + c] = png.data[p * 4 + c]! * scale[c]! + offset[c]!;
    });
    const logits = await ortLogits(bytes, toNchw(x, batch.length, 32, 32, 3), [batch.length, 3, 32, 32]);
    batch.forEach((f, i) => {
      const row = Array.from(logits.slice(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === f.label) right++;
    });
  }
  return right / files.length;
};
const pct = (v: number | undefined) => (v === undefined ? '-' : `${(100 * v).toFixed(2)}%`);
console.log(JSON.stringify({ pattern: report.pattern, globalSparsity: report.globalSparsity, check }, null, 1));
console.log(`ONNX Runtime top-1 on ${files.length} images not used for calibration: dense .onnx ${pct(await top1(new Uint8Array(original)))}, sparse .onnx ${pct(await top1(sparse))}`);
console.log(`report, validation (${report.heldOutImages} images): dense ${pct(report.dense.top1)}, one-shot ${pct(report.oneShot.top1)}, returned (${report.returned}) ${pct(report.final.top1)}`);
if (report.test) console.log(`report, test (${report.testImages} images): dense ${pct(report.test.dense.top1)}, one-shot ${pct(report.test.oneShot.top1)}, returned ${pct(report.test.final.top1)}`);
