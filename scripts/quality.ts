/**
 * `npm run quality`: the studio's quality cases through the CLI, at the default budget and at
 * --preset paper (with the reference recipe's learning rate), on real models and images.
 * Prints one table (dense / one-shot uniform / one-shot searched / returned, test top-1, wall
 * time, peak memory) beside the independent PyTorch reference's golden numbers, and writes
 * quality-results.json.
 *
 *   npm run quality -- [--cases demo-90,demo-2:4,mobilenet-50,resnet32-90] [--settings default,paper] [--seed 1]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Metrics, RunReport } from '../src/core/events';
import { CACHE, ROOT, qualityCases, type QualityCase } from './quality/cases';
import { goldenFor } from './quality/golden';

const { values } = parseArgs({ options: { cases: { type: 'string' }, settings: { type: 'string' }, seed: { type: 'string' } } });
const wanted = values.cases?.split(',');
const settings = (values.settings ?? 'default,paper').split(',') as ('default' | 'paper')[];
const seed = values.seed ?? '1';

type Report = RunReport & { process?: { peakRssMB: number; wallSeconds: number } };

interface Row {
  case: string;
  settings: string;
  seed: string;
  dense: number | null;
  oneShotUniform: number | null;
  oneShot: number | null;
  returned: number | null;
  scoredOn: 'test' | 'validation';
  images: { calibration: number; validation: number; test: number };
  returnedWhich: string;
  plan: string | null;
  stopped: string | null;
  wallSeconds: number;
  peakRssMB: number;
  reference: { mean: number; min: number; max: number; seeds: number } | null;
  error: string | null;
}

const top1 = (m: Metrics | undefined) => (m ? (m.top1 ?? m.agreement) : null);

function run(c: QualityCase, which: 'default' | 'paper'): Row {
  const out = join(CACHE, 'runs', `${c.id.replace(':', '-')}-${which}-s${seed}`);
  mkdirSync(out, { recursive: true });
  const args = [
    join(ROOT, 'bin/pts-studio.mjs'), 'prune', '--model', c.model, '--images', c.calib, ...c.target, '--seed', seed, '--out', out, '--quiet',
    ...(c.val ? ['--val-images', c.val] : []), ...(c.test ? ['--test-images', c.test] : []),
    ...(which === 'paper' ? ['--preset', 'paper', '--lr', String(c.paperLr)] : []),
  ];
  console.error(`quality: ${c.id} at ${which} settings ...`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  writeFileSync(join(out, 'cli.log'), `${r.stdout}\n${r.stderr}`);
  const base = { case: c.id, settings: which, seed, wallSeconds: wall, reference: which === 'paper' ? goldenFor(c.id) : null };
  if (r.status !== 0) {
    const error = r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`;
    return { ...base, dense: null, oneShotUniform: null, oneShot: null, returned: null, scoredOn: 'test', images: { calibration: 0, validation: 0, test: 0 }, returnedWhich: '-', plan: null, stopped: null, peakRssMB: 0, error };
  }
  const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  const t = rep.test;
  return {
    ...base,
    dense: top1(t?.dense ?? rep.dense),
    oneShotUniform: top1(t?.oneShotUniform),
    oneShot: top1(t?.oneShot ?? rep.oneShot),
    returned: top1(t?.final ?? rep.final),
    scoredOn: t ? 'test' : 'validation',
    images: { calibration: rep.calibrationImages, validation: rep.heldOutImages, test: rep.testImages },
    returnedWhich: rep.returned,
    plan: rep.budget?.plan ?? null,
    stopped: rep.stoppedEarly,
    peakRssMB: rep.process?.peakRssMB ?? 0,
    error: null,
  };
}

const pct = (v: number | null) => (v === null ? '   -  ' : `${(v * 100).toFixed(1).padStart(5)}%`);
const rows: Row[] = [];
const skipped: { case: string; why: string }[] = [];
for (const c of qualityCases()) {
  if (wanted && !wanted.includes(c.id)) continue;
  if (c.missing) {
    console.error(`quality: skipped ${c.id}: ${c.missing}`);
    skipped.push({ case: c.id, why: c.missing });
    continue;
  }
  for (const which of settings) {
    const row = run(c, which);
    rows.push(row);
    console.error(`  -> ${row.error ?? `returned ${pct(row.returned)} (${row.scoredOn}), ${row.wallSeconds.toFixed(0)} s`}`);
  }
}

console.log('');
console.log('case          settings  scored on   dense  1-shot uni  1-shot   returned  reference (paper)        wall      peak RSS');
for (const r of rows) {
  const ref = r.reference ? `${pct(r.reference.mean)} [${pct(r.reference.min)}, ${pct(r.reference.max)}]` : '        -               ';
  console.log(
    `${r.case.padEnd(13)} ${r.settings.padEnd(9)} ${r.scoredOn.padEnd(10)} ${pct(r.dense)} ${pct(r.oneShotUniform)}     ${pct(r.oneShot)} ${pct(r.returned)}   ${ref}  ${(r.wallSeconds / 60).toFixed(1).padStart(5)} min ${r.peakRssMB.toFixed(0).padStart(6)} MB${r.error ? `  ERROR ${r.error}` : ''}`,
  );
}
for (const s of skipped) console.log(`${s.case.padEnd(13)} skipped: ${s.why}`);
const file = join(ROOT, 'quality-results.json');
const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[] }).rows : [];
const key = (r: Row) => `${r.case}/${r.settings}/${r.seed}`;
const merged = [...previous.filter((p) => !rows.some((r) => key(r) === key(p))), ...rows];
writeFileSync(file, JSON.stringify({ updatedAt: new Date().toISOString(), rows: merged, skipped }, null, 2));
console.error(`quality: wrote ${file}`);
