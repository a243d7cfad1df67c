/**
 * --test-images through the CLI on the real demo model and official CIFAR-10 test images: the
 * reported test scores equal an independent scoring of the exported model (PyTorch, the
 * reference's own loader and preprocessing), and another test folder leaves the returned model
 * byte for byte the same.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../core/events';
import { REPO_ROOT } from '../node/assets.test-helpers';

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15 * 60_000 });
const fetchCifar = (dir: string, from: number, count: number) =>
  run(process.execPath, [join(REPO_ROOT, 'scripts/cifar10/fetch.mjs'), '--folders', dir, '--from', String(from), '--count', String(count), '--exclude-demo']);

/** Debian's python3-torch (the independent scorer); null when not installed. */
function torchPython(): string | null {
  for (const p of ['/usr/bin/python3', 'python3']) {
    if (run(p, ['-c', 'import torch, PIL']).status === 0) return p;
  }
  console.warn('skipped: the independent PyTorch scoring needs python3 with torch and PIL (Debian: apt-get install python3-torch python3-pil)');
  return null;
}

describe('pts-studio prune --test-images', () => {
  it('reports test scores that an independent scorer reproduces exactly; another test folder changes nothing else', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'pts-test-images-'));
    for (const [name, from, count] of [['calib', 0, 160], ['test-a', 1000, 300], ['test-b', 2000, 150]] as const) {
      const r = fetchCifar(join(tmp, name), from, count);
      expect(r.status, r.stderr).toBe(0);
    }
    const prune = (test: string, out: string) =>
      run(process.execPath, [
        join(REPO_ROOT, 'bin/pts-studio.mjs'), 'prune', '--model', join(REPO_ROOT, 'public/demo/cifar10/model/model.json'),
        '--images', join(tmp, 'calib'), '--test-images', join(tmp, test), '--sparsity', '0.8', '--budget', 'unlimited',
        '--population', '4', '--generations', '1', '--epochs', '2', '--batch', '32', '--out', join(tmp, out), '--quiet',
      ]);
    const a = prune('test-a', 'out-a');
    expect(a.status, a.stderr).toBe(0);
    expect(a.stderr).toContain('test (300 images, scored once; they chose nothing)');
    const repA = JSON.parse(readFileSync(join(tmp, 'out-a/report.json'), 'utf8')) as RunReport;
    expect(repA.testImages).toBe(300);
    expect(repA.test!.final.count).toBe(300);

    const b = prune('test-b', 'out-b');
    expect(b.status, b.stderr).toBe(0);
    const repB = JSON.parse(readFileSync(join(tmp, 'out-b/report.json'), 'utf8')) as RunReport;
    expect(repB.testImages).toBe(150);
    expect(repB.final).toEqual(repA.final);
    expect(readFileSync(join(tmp, 'out-b/model/weights.bin')).equals(readFileSync(join(tmp, 'out-a/model/weights.bin')))).toBe(true);

    const python = torchPython();
    if (!python) return;
    const scored = run(python, [join(REPO_ROOT, 'scripts/reference/score.py'), '--model', join(tmp, 'out-a/model/model.json'), '--images', join(tmp, 'test-a')]);
    expect(scored.status, scored.stderr).toBe(0);
    const independent = JSON.parse(scored.stdout) as { images: number; correct: number };
    expect(independent.images).toBe(300);
    expect(independent.correct).toBe(Math.round(repA.test!.final.top1! * 300));
  });
});
