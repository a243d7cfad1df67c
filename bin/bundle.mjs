// One TypeScript entry of this repository bundled by esbuild (packages stay external, resolved
// from node_modules) into node_modules/.cache/pts-studio, named by its content and written by
// rename, so that runs started side by side never read a half-written file. Used by the CLI
// (bin/run-ts.mjs) and by the search workers (src/node/fitness-workers.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import * as esbuild from 'esbuild';

/** Absolute path of the bundle of `entry` (absolute), under `root`'s cache; throws where esbuild cannot build it. */
export function bundleToCache(root, entry) {
  const built = esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', write: false, logLevel: 'silent' });
  const text = built.outputFiles[0].text;
  const file = resolve(root, `node_modules/.cache/pts-studio/${basename(entry, '.ts')}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  }
  return file;
}
