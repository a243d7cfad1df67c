#!/usr/bin/env node
// Runs a TypeScript entry point of this repository under tsx, installing dependencies first if
// this is a fresh clone.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function runTs(entry, argv) {
  if (!existsSync(resolve(root, 'node_modules/tsx')) || !existsSync(resolve(root, 'node_modules/@tensorflow/tfjs'))) {
    process.stderr.write('pts-studio: installing dependencies (first run)...\n');
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
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
