/**
 * `node bin/run-ts.mjs scripts/quality/studio-seeds.ts [seeds=1,2,3]`: the studio's own --preset
 * paper test top-1 on the golden cases (demo-90, demo-2:4) over seeds, written to
 * studio-seeds.json, which golden.test.ts reads for the studio's seed spread. Rerun it after any
 * change of the numerics (a kernel's summation order is enough to move a seed's result): the
 * runs go one at a time, each with the CLI's default search workers, and take about 15 minutes
 * on 2 cores.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { RunReport } from '../../src/core/events';
import { ROOT, qualityCases } from './cases';

const seeds = (process.argv[2] ?? '1,2,3').split(',').map(Number);
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() !== '';
const cases: Record<string, { seeds: number[]; testTop1: number[]; seconds: number[]; command: string }> = {};
for (const id of ['demo-90', 'demo-2:4']) {
  const c = qualityCases().find((q) => q.id === id)!;
  const rel = (p: string) => relative(ROOT, p);
  const args = ['prune', '--model', rel(c.model), '--images', rel(c.calib), '--val-images', rel(c.val!), '--test-images', rel(c.test!), ...c.target, '--preset', 'paper', '--lr', String(c.paperLr)];
  const row = { seeds, testTop1: [] as number[], seconds: [] as number[], command: `node bin/pts-studio.mjs ${args.join(' ')} --seed S` };
  for (const seed of seeds) {
    const out = mkdtempSync(join(tmpdir(), 'pts-seeds-'));
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/pts-studio.mjs'), ...args, '--seed', String(seed), '--out', out, '--quiet'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${id} seed ${seed} failed:\n${r.stderr}`);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    row.testTop1.push(report.test!.final.top1!);
    row.seconds.push(Math.round((performance.now() - t0) / 100) / 10);
    console.log(`${id} seed ${seed}: test top-1 ${(report.test!.final.top1! * 100).toFixed(2)}% in ${row.seconds.at(-1)} s`);
  }
  cases[id] = row;
}
const what = `The studio's own --preset paper test top-1 on the golden cases over seeds ${seeds.join(', ')} (9,200 CIFAR-10 test images), measured at commit ${commit}${dirty ? ' (with uncommitted changes)' : ''} by scripts/quality/studio-seeds.ts (Node wasm, one run at a time on 2 cores). scripts/quality/golden.test.ts widens the reference band by half this range.`;
writeFileSync(join(import.meta.dirname, 'studio-seeds.json'), `${JSON.stringify({ what, cases }, null, 2)}\n`);
