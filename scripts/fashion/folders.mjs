#!/usr/bin/env node
// Writes images of the official Fashion-MNIST test split (Debian's dataset-fashion-mnist, MIT) as
// grayscale PNG class folders DIR/<label>/<index>.png that the CLI and the page read.
//   node scripts/fashion/folders.mjs --folders DIR [--from I] [--count N]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

/** The test split's images (n x 28 x 28 bytes) and labels, or null when the package is missing. */
export function fashionTestSet() {
  const images = join(FASHION_DIR, 't10k-images-idx3-ubyte.gz');
  const labels = join(FASHION_DIR, 't10k-labels-idx1-ubyte.gz');
  if (!existsSync(images) || !existsSync(labels)) return null;
  const x = gunzipSync(readFileSync(images));
  const y = gunzipSync(readFileSync(labels));
  if (x.readUInt32BE(0) !== 2051 || y.readUInt32BE(0) !== 2049) throw new Error(`fashion-mnist: ${FASHION_DIR} does not hold IDX files`);
  const n = x.readUInt32BE(4);
  return { n, rows: x.readUInt32BE(8), cols: x.readUInt32BE(12), pixels: x.subarray(16), labels: y.subarray(8) };
}

async function writeFolders(out, from, count) {
  const { PNG } = (await import('pngjs')).default;
  const set = fashionTestSet();
  if (!set) throw new Error(`fashion-mnist: no ${FASHION_DIR} (apt-get install dataset-fashion-mnist)`);
  const size = set.rows * set.cols;
  let written = 0;
  for (let i = from; i < Math.min(set.n, from + count); i++) {
    const dir = join(out, String(set.labels[i]));
    mkdirSync(dir, { recursive: true });
    const png = new PNG({ width: set.cols, height: set.rows, colorType: 0, inputColorType: 0, inputHasAlpha: false });
    png.data = Buffer.from(set.pixels.subarray(i * size, (i + 1) * size));
    writeFileSync(join(dir, `${i}.png`), PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
    written++;
  }
  console.error(`fashion-mnist: wrote ${written} test images to ${out}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { folders: { type: 'string' }, from: { type: 'string', default: '0' }, count: { type: 'string', default: '10000' } } });
  if (!values.folders) {
    console.error('usage: node scripts/fashion/folders.mjs --folders DIR [--from I] [--count N]');
    process.exit(2);
  }
  await writeFolders(values.folders, Number(values.from), Number(values.count));
}
