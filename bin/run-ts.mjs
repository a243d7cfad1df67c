#!/usr/bin/env node
// Runs a TypeScript entry point of this repository under tsx, installing dependencies first if
// this is a fresh clone; runBundled runs it as one esbuild bundle instead (tsx's loader costs
// about 80 MB of memory for the whole run).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function install() {
  if (!existsSync(resolve(root, 'node_modules/tsx')) || !existsSync(resolve(root, 'node_modules/@tensorflow/tfjs'))) {
    process.stderr.write('pts-studio: installing dependencies (first run)...\n');
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

/**
 * Runs `entry` as one esbuild bundle (bundle.mjs), falling back to tsx where esbuild cannot build
 * it. PTS_STUDIO_ROOT tells the bundle where the repository is (src/node/repo-root.ts).
 */
export async function runBundled(entry, argv) {
  install();
  let file = null;
  try {
    const { bundleToCache } = await import('./bundle.mjs');
    file = bundleToCache(root, resolve(root, entry));
  } catch {
    file = null;
  }
  if (!file) return runTs(entry, argv);
  process.env.PTS_STUDIO_ROOT = root;
  process.argv = [process.argv[0], resolve(root, entry), ...argv];
  await import(pathToFileURL(file).href);
}

export async function runTs(entry, argv) {
  install();
  const { register } = await import('tsx/esm/api');
  register();
  process.argv = [process.argv[0], resolve(root, entry), ...argv];
  await import(pathToFileURL(resolve(root, entry)).href);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [entry, ...rest] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write('usage: node bin/run-ts.mjs <file.ts> [args...]\n');
    process.exit(2);
  }
  await runTs(entry, rest);
}
