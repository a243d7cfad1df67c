/**
 * The bench's Node rows on the multithreaded wasm build (XNNPACK on every core, src/node/wasm-threads.ts),
 * in a process of their own: the wasm backend starts once per process, and the parent's runs on one
 * thread. Prints one JSON line of rows on stdout (`npm run bench` runs it; progress goes to stderr).
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { REPO_ROOT } from '../../src/node/repo-root';
import { setupNodeBackend } from '../../src/node/backend';
import { MAX_WASM_THREADS } from '../../src/node/wasm-threads';
import { nodeRows } from './node-rows';
import { BENCH_MODELS, skippedRow, type BenchRow, type Budget } from './rows';

const budget = JSON.parse(process.env.BENCH_BUDGET ?? '{}') as Budget;
const threads = Math.min(MAX_WASM_THREADS, availableParallelism());
const backend = 'wasm-mt';
const note = await setupNodeBackend('wasm', threads);
const rows: BenchRow[] = [];
if (tf.getBackend() !== 'wasm' || threads < 2) {
  rows.push(...BENCH_MODELS.map((m) => skippedRow('node', backend, m, threads < 2 ? 'unavailable: one core' : `unavailable: ${note}`)));
} else {
  process.stderr.write(`  node ${backend}: ${note}\n`);
  rows.push(...(await nodeRows(REPO_ROOT, budget, (l) => process.stderr.write(`  ${l}\n`), backend)));
}
process.stdout.write(`${JSON.stringify(rows)}\n`);
