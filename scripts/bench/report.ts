/** The bench's table and the ratios its targets are read from (reported, never asserted). */
import type { BenchRow } from './rows';

/** The figures the issue's targets name; null where a side was not measured. */
export interface Ratios {
  /** Worst DST/KD per "where backend" (target <= 1.10 on every backend). */
  overhead: Record<string, number>;
  /** webgl demo step / wasm demo step in Chromium (target >= 5). */
  wasmOverWebgl: number | null;
  /** Fastest TF.js demo step / PyTorch CPU demo step (target <= 2). */
  bestTfjsOverTorch: number | null;
  /** Which host and backend gave the fastest TF.js demo step. */
  bestTfjs: string | null;
}

const isDemo = (r: BenchRow) => r.model.startsWith('demo');
const demoMs = (rows: BenchRow[], where: string, backend: string) => rows.find((r) => isDemo(r) && r.where === where && r.backend === backend)?.dstMs ?? null;

/** The target ratios from the rows and PyTorch's demo step. */
export function ratios(rows: BenchRow[], torchMs: number | null): Ratios {
  const overhead: Record<string, number> = {};
  for (const r of rows) {
    if (r.overhead === null) continue;
    const key = `${r.where} ${r.backend}`;
    overhead[key] = Math.max(overhead[key] ?? 0, r.overhead);
  }
  const wasm = demoMs(rows, 'chromium', 'wasm');
  const webgl = demoMs(rows, 'chromium', 'webgl');
  const best = rows.filter((r) => isDemo(r) && r.dstMs !== null).sort((a, b) => a.dstMs! - b.dstMs!)[0];
  return {
    overhead,
    wasmOverWebgl: wasm !== null && webgl !== null ? webgl / wasm : null,
    bestTfjsOverTorch: best && torchMs !== null ? best.dstMs! / torchMs : null,
    bestTfjs: best ? `${best.where} ${best.backend}` : null,
  };
}

const num = (v: number | null, d: number, w: number) => (v === null ? '' : v.toFixed(d)).padStart(w);

/** The table, one line per row; a skipped row prints its note where the numbers would be. */
export function tableLines(rows: BenchRow[]): string[] {
  const head = 'where     backend  model                  batch steps   DST ms    KD ms  DST/KD  step GFLOP/s  matmul GFLOP/s  fitness s';
  return [
    head,
    ...rows.map((r) => {
      const left = `${r.where.padEnd(9)} ${r.backend.padEnd(8)} ${r.model.padEnd(22)} ${String(r.batch).padStart(5)}`;
      const mm = num(r.matmulGflops, 2, 15);
      if (r.note !== null) return `${left}       ${r.note}`;
      return `${left} ${String(r.steps).padStart(5)} ${num(r.dstMs, 0, 8)} ${num(r.denseKdMs, 0, 8)} ${num(r.overhead, 2, 7)} ${num(r.stepGflops, 2, 13)} ${mm} ${num(r.fitnessSeconds, 2, 10)}`;
    }),
  ];
}

/** The target lines under the table. */
export function ratioLines(rows: BenchRow[], q: Ratios, torchMs: number | null): string[] {
  const lines = [`DST/KD (target <= 1.10 on every backend): ${Object.entries(q.overhead).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') || 'not measured'}`];
  const wasm = demoMs(rows, 'chromium', 'wasm');
  const webgl = demoMs(rows, 'chromium', 'webgl');
  lines.push(
    q.wasmOverWebgl !== null
      ? `wasm vs webgl, demo CNN step in Chromium (target >= 5x): wasm ${wasm!.toFixed(0)} ms, webgl ${webgl!.toFixed(0)} ms, wasm ${q.wasmOverWebgl.toFixed(1)}x faster`
      : 'wasm vs webgl in Chromium: not measured (both backends must run in the browser)',
  );
  if (torchMs === null) lines.push('PyTorch: not measured (Debian python3-torch not installed)');
  else if (q.bestTfjsOverTorch === null) lines.push(`PyTorch CPU, demo CNN, batch 32: ${torchMs.toFixed(1)} ms/step; no TF.js demo step measured`);
  else lines.push(`PyTorch CPU, demo CNN, batch 32: ${torchMs.toFixed(1)} ms/step; best TF.js (${q.bestTfjs}) is ${q.bestTfjsOverTorch.toFixed(2)}x PyTorch's time (target <= 2x)`);
  return lines;
}
