/**
 * `npm run bench`: DST step vs plain dense KD step, achieved GFLOP/s vs the backend's
 * large-matmul GFLOP/s and one search fitness evaluation, on the demo CNN and on MobileNet v1
 * 0.25 (batch 32, chunked as a run with the default step memory would be), for every backend in
 * Node (cpu, wasm on one thread, wasm-mt on every core) and in the system Chromium (webgpu, webgl, wasm), with each row's memory
 * high-water marks; PyTorch's step and fitness evaluation on the same architectures when
 * Debian's python3-torch is installed. Prints a table and the target ratios, writes
 * bench-results.json with the same rows.
 *
 * BENCH_STEPS=5 timed steps per trainer; BENCH_BROWSER=0 skips Chromium; BENCH_BACKENDS=wasm,webgl
 * keeps only those backends (on both hosts); BENCH_TORCH=0 skips PyTorch. Progress goes to stderr.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { readModelFolder } from '../src/node/files';
import { setupNodeBackend } from '../src/node/backend';
import { runInBrowser } from './bench/browser-run';
import { nodeRows } from './bench/node-rows';
import { BENCH_MODELS, benchModelFile, skippedRow, type BenchRow, type Budget } from './bench/rows';
import { ratioLines, ratios, searchLines, tableLines, threadLines } from './bench/report';
import { searchThroughput } from './bench/search-throughput';
import { trainThreadsStep, type TrainThreads } from './bench/train-threads';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = Number(process.env.BENCH_STEPS ?? 5);
const chosen = process.env.BENCH_BACKENDS?.split(',').map((b) => b.trim()).filter(Boolean);
const pick = (all: string[]) => all.filter((b) => !chosen?.length || chosen.includes(b));
const log = (line: string) => console.error(`  ${line}`);
const started = performance.now();

/**
 * A few timed steps where a step is quick; where it is not (pure-JS cpu, SwiftShader's software
 * GPU) one, and MobileNet only estimated once the demo step there took over 2 s: it would take
 * minutes. Each Chromium backend is also stopped after 4 minutes, so the bench stays well under
 * 10 minutes on 2 cores (about 3.5 here).
 */
const BUDGET: Budget = { steps: STEPS, stepBudgetMs: 15_000, slowStepMs: 2000 };
const BROWSER_BACKEND_LIMIT_MS = 240_000;

/** PyTorch's rows (scripts/bench/torch_bench.py, Debian python3-torch), or why there are none. */
function torchRows(): BenchRow[] {
  const py = '/usr/bin/python3';
  const script = join(root, 'scripts/bench/torch_bench.py');
  const threads = `cpu ${cpus().length}t`;
  return BENCH_MODELS.map((m) => {
    if (!existsSync(py)) return skippedRow('pytorch', threads, m, 'not measured (Debian python3-torch not installed)');
    const r = spawnSync(py, [script, m.torch, String(m.batch), String(STEPS)], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) return skippedRow('pytorch', threads, m, `failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
    const t = JSON.parse(r.stdout.trim().split('\n').pop()!) as { stepMs: number; fitnessSeconds: number; forwardMs: number; peakRssMB: number };
    return { ...skippedRow('pytorch', threads, m, ''), steps: STEPS, dstMs: t.stepMs, fitnessSeconds: t.fitnessSeconds, forwardMs: t.forwardMs, chunk: m.batch, rssMB: t.peakRssMB, note: null };
  });
}

const rows: BenchRow[] = [];
for (const backend of pick(['cpu', 'wasm'])) {
  const note = await setupNodeBackend(backend);
  if (tf.getBackend() !== backend) {
    rows.push(...BENCH_MODELS.map((m) => skippedRow('node', backend, m, `unavailable: ${note}`)));
    continue;
  }
  rows.push(...(await nodeRows(root, BUDGET, log)));
}

/** Node wasm on every core: a process of its own (the wasm backend starts once per process). */
if (pick(['wasm-mt']).length > 0) {
  const r = spawnSync(process.execPath, [join(root, 'bin/run-ts.mjs'), 'scripts/bench/node-threaded.ts'], {
    cwd: root, encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_BUDGET: JSON.stringify(BUDGET) },
  });
  const line = r.status === 0 ? r.stdout.trim().split('\n').pop() : undefined;
  if (line) rows.push(...(JSON.parse(line) as BenchRow[]));
  else rows.push(...BENCH_MODELS.map((m) => skippedRow('node', 'wasm-mt', m, `failed: ${r.error?.message ?? `exit ${r.status}`}`)));
}

/** Node wasm: the search's evaluations side by side, per model (the fitness rows time one at a time). */
const search: { model: string; width: number; secondsPerEvaluation: number }[] = [];
if (pick(['wasm']).length > 0 && tf.getBackend() === 'wasm') {
  for (const m of BENCH_MODELS) {
    try {
      const t = await searchThroughput(await readModelFolder(join(root, benchModelFile(m))), 'wasm');
      search.push({ model: m.name, ...t });
      log(`node wasm ${m.name}: search, ${t.width} evaluations side by side, ${t.secondsPerEvaluation.toFixed(2)} s each`);
    } catch (e) {
      log(`node wasm ${m.name}: search side by side failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** Node wasm: a training step split across the CLI's training threads, against the main thread alone. */
const threaded: { model: string; batch: number; result: TrainThreads }[] = [];
if (pick(['wasm']).length > 0 && tf.getBackend() === 'wasm' && availableParallelism() > 1) {
  for (const m of BENCH_MODELS) {
    try {
      const r = await trainThreadsStep(await readModelFolder(join(root, benchModelFile(m))), m.batch, Math.min(availableParallelism(), 8), STEPS, BUDGET.stepBudgetMs);
      threaded.push({ model: m.name, batch: m.batch, result: r });
      log(`node wasm ${m.name}: step on ${r.threads} training threads ${r.splitMs.toFixed(0)} ms, on one ${r.oneMs.toFixed(0)} ms (${r.speedup.toFixed(2)}x, median of ${r.steps} pairs)`);
    } catch (e) {
      log(`node wasm ${m.name}: training threads failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

const browserBackends = process.env.BENCH_BROWSER === '0' ? [] : pick(['webgpu', 'webgl', 'wasm', 'wasm-mt']);
let browser: { name: string | null; webgpuAdapter: string | null; wasm: string | null; error: string | null } | null = null;
if (browserBackends.length > 0) {
  try {
    const run = await runInBrowser(root, browserBackends, BUDGET, BROWSER_BACKEND_LIMIT_MS, log);
    for (const r of run.results) rows.push(...r.result.rows);
    const device = (b: string) => run.results.find((r) => r.backend === b)?.result.device ?? null;
    browser = { name: run.browser, webgpuAdapter: device('webgpu'), wasm: [device('wasm'), device('wasm-mt')].filter((d) => d !== null).join('; ') || null, error: null };
  } catch (e) {
    // The Node rows still stand; say why the browser ones are missing.
    const error = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    console.error(`browser part failed: ${error}`);
    browser = { name: null, webgpuAdapter: null, wasm: null, error };
  }
}

if (process.env.BENCH_TORCH !== '0') rows.push(...torchRows());
const q = ratios(rows);
console.log([...tableLines(rows), '', ...ratioLines(rows, q), ...searchLines(rows, search), ...threadLines(rows, threaded)].join('\n'));
if (browser?.name) console.log(`browser: ${browser.name}${browser.webgpuAdapter ? `, WebGPU adapter ${browser.webgpuAdapter}` : ''}${browser.wasm ? `, ${browser.wasm}` : ''}`);
const seconds = Math.round((performance.now() - started) / 1000);
const json = { steps: STEPS, budget: { ...BUDGET, browserBackendLimitMs: BROWSER_BACKEND_LIMIT_MS }, rows, ratios: q, search, trainThreads: threaded, browser, seconds, date: new Date().toISOString() };
writeFileSync(join(root, 'bench-results.json'), JSON.stringify(json, null, 2));
console.log(`bench took ${seconds} s; wrote bench-results.json`);
