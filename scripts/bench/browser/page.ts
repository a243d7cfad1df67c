/**
 * The bench page: one fresh worker per backend, so each starts from a clean TF.js and GPU state,
 * and a wall-clock limit per backend, since one step on a software GPU cannot be interrupted.
 */
import * as Comlink from 'comlink';
import { BENCH_MODELS, skippedRow, type BenchRow, type Budget } from '../rows';
import type { BenchWorkerApi } from './bench.worker';

/** One backend's rows, and the WebGPU adapter that ran them (null elsewhere). */
export interface BackendResult {
  rows: BenchRow[];
  device: string | null;
}

declare global {
  interface Window {
    /** Called by scripts/bench/browser-run.ts through Playwright; progress goes to the console. */
    runBench: (backend: string, budget: Budget, limitMs: number) => Promise<BackendResult>;
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

window.runBench = async (backend, budget, limitMs) => {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<BenchWorkerApi>(worker);
  const rows: BenchRow[] = [];
  // Models the worker did not finish get a row saying why.
  const rest = (note: string) => BENCH_MODELS.filter((m) => !rows.some((r) => r.model === m.name)).map((m) => skippedRow('chromium', backend, m, note));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<'limit'>((resolve) => (timer = setTimeout(() => resolve('limit'), limitMs)));
  try {
    let device: string | null;
    try {
      device = await api.start(backend);
    } catch (e) {
      return { rows: rest(`unavailable: ${errorText(e)}`), device: null };
    }
    const log = Comlink.proxy((line: string) => console.log(line));
    const onRow = Comlink.proxy((row: BenchRow) => void rows.push(row));
    try {
      const done = await Promise.race([api.measure(budget, log, onRow), limit]);
      if (done === 'limit') rows.push(...rest(`stopped (over the ${Math.round(limitMs / 1000)} s limit for ${backend})`));
    } catch (e) {
      rows.push(...rest(`failed: ${errorText(e)}`));
    }
    return { rows, device };
  } finally {
    clearTimeout(timer);
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
};
