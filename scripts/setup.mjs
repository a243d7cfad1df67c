#!/usr/bin/env node
// Installs what a fresh clone is missing: npm dependencies, and with --browser the system
// Chromium the browser tests drive (Debian's package; Playwright's own download is not used).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`setup: "${cmd} ${args.join(' ')}" failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
};

function depsStale() {
  const installed = resolve(root, 'node_modules/.package-lock.json');
  if (!existsSync(installed)) return true;
  const lock = resolve(root, 'package-lock.json');
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs + 1000;
}

if (depsStale()) {
  console.error('setup: installing npm dependencies...');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

if (process.argv.includes('--browser')) {
  const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!existsSync(chrome)) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const hasApt = existsSync('/usr/bin/apt-get');
    if (!isRoot || !hasApt) {
      console.error(`setup: no Chromium at ${chrome}. Install Debian's chromium (apt-get install chromium) or set CHROME_PATH.`);
      process.exit(1);
    }
    console.error('setup: installing Debian chromium for the browser tests...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
      const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
      if (r.status !== 0) process.exit(r.status ?? 1);
    }
  }
  // The Fashion-MNIST quality case reads the official test split from Debian's package (a
  // clone without it skips that case and says so).
  const fashion = '/usr/share/datasets/fashion-mnist';
  if (!existsSync(fashion) && typeof process.getuid === 'function' && process.getuid() === 0 && existsSync('/usr/bin/apt-get')) {
    console.error('setup: installing Debian dataset-fashion-mnist for the Fashion-MNIST quality case...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const r = spawnSync('apt-get', ['install', '-y', '-qq', 'dataset-fashion-mnist'], { stdio: 'inherit', env });
    if (r.status !== 0) console.error('setup: dataset-fashion-mnist could not be installed; the Fashion-MNIST case will be skipped.');
  }
  const v = spawnSync(chrome, ['--version'], { encoding: 'utf8' });
  console.error(`setup: browser ${(v.stdout || '').trim() || chrome}`);
}
