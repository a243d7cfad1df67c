/** The bench's table and the ratios its targets are read from (reported, never asserted). */
import type { BenchRow } from './rows';

/** One model's fastest TF.js figure on a host over PyTorch's (target <= 1.5). */
export interface TorchRatio {
  model: string;
  /** 'node' or 'chromium'. */
  where: string;
  /** The backend that gave the fastest figure. */
  backend: string;
  step: number | null;
  fitness: number | null;
  /** The host's fastest inference forward pass over PyTorch's: the kernels' own gap (BenchRow.forwardMs). */
  forward: number | null;
}

/** The figures the targets name; null where a side was not measured. */
export interface Ratios {
  /** Worst DST/KD per "where backend" (target <= 1.10 on every backend). */
  overhead: Record<string, number>;
  /** webgl demo step / wasm demo step in Chromium. */
  wasmOverWebgl: number | null;
  /** Per model and host: fastest TF.js step and fitness evaluation over PyTorch's. */
  torch: TorchRatio[];
}

const isDemo = (r: BenchRow) => r.model.startsWith('demo');
const demoMs = (rows: BenchRow[], where: string, backend: string) => rows.find((r) => isDemo(r) && r.where === where && r.backend === backend)?.dstMs ?? null;

/** The target ratios from the rows (PyTorch's among them, where: 'pytorch'). */
export function ratios(rows: BenchRow[]): Ratios {
  const overhead: Record<string, number> = {};
  for (const r of rows) {
    if (r.overhead === null) continue;
    const key = `${r.where} ${r.backend}`;
    overhead[key] = Math.max(overhead[key] ?? 0, r.overhead);
  }
  const wasm = demoMs(rows, 'chromium', 'wasm');
  const webgl = demoMs(rows, 'chromium', 'webgl');
  const torch: TorchRatio[] = [];
  for (const ref of rows.filter((r) => r.where === 'pytorch' && r.dstMs !== null)) {
    for (const where of ['node', 'chromium']) {
      const mine = rows.filter((r) => r.where === where && r.model === ref.model && r.dstMs !== null);
      const best = [...mine].sort((a, b) => a.dstMs! - b.dstMs!)[0];
      if (!best) continue;
      const fastest = (f: (r: BenchRow) => number | null) => mine.map(f).filter((v): v is number => v !== null).sort((a, b) => a - b)[0];
      const fit = fastest((r) => r.fitnessSeconds);
      const fwd = fastest((r) => r.forwardMs);
      torch.push({
        model: ref.model, where, backend: best.backend,
        step: best.dstMs! / ref.dstMs!,
        fitness: fit !== undefined && ref.fitnessSeconds ? fit / ref.fitnessSeconds : null,
        forward: fwd !== undefined && ref.forwardMs ? fwd / ref.forwardMs : null,
      });
    }
  }
  return { overhead, wasmOverWebgl: wasm !== null && webgl !== null ? webgl / wasm : null, torch };
}

const num = (v: number | null, d: number, w: number) => (v === null ? '' : v.toFixed(d)).padStart(w);

/** The table, one line per row; a skipped row prints its note where the numbers would be. */
export function tableLines(rows: BenchRow[]): string[] {
  const head = 'where     backend  model                  batch chunk steps   DST ms    KD ms  DST/KD  step GFLOP/s  matmul GFLOP/s  fitness s   fwd ms  heap MB  GPU MB  RSS MB';
  return [
    head,
    ...rows.map((r) => {
      const left = `${r.where.padEnd(9)} ${r.backend.padEnd(8)} ${r.model.padEnd(22)} ${String(r.batch).padStart(5)}`;
      if (r.note !== null) return `${left}       ${r.note}`;
      return `${left} ${num(r.chunk, 0, 5)} ${String(r.steps).padStart(5)} ${num(r.dstMs, 0, 8)} ${num(r.denseKdMs, 0, 8)} ${num(r.overhead, 2, 7)} ${num(r.stepGflops, 2, 13)} ${num(r.matmulGflops, 2, 15)} ${num(r.fitnessSeconds, 2, 10)} ${num(r.forwardMs, 1, 8)} ${num(r.heapMB, 0, 8)} ${num(r.gpuMB, 0, 7)} ${num(r.rssMB, 0, 7)}`;
    }),
  ];
}

/** The target lines under the table. */
export function ratioLines(rows: BenchRow[], q: Ratios): string[] {
  const lines = [`DST/KD (target <= 1.10 on every backend): ${Object.entries(q.overhead).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') || 'not measured'}`];
  const wasm = demoMs(rows, 'chromium', 'wasm');
  const webgl = demoMs(rows, 'chromium', 'webgl');
  if (q.wasmOverWebgl !== null) lines.push(`wasm vs webgl, demo CNN step in Chromium: wasm ${wasm!.toFixed(0)} ms, webgl ${webgl!.toFixed(0)} ms, wasm ${q.wasmOverWebgl.toFixed(1)}x faster`);
  if (!rows.some((r) => r.where === 'pytorch' && r.dstMs !== null)) {
    lines.push('PyTorch: not measured (Debian python3-torch not installed)');
    return lines;
  }
  for (const t of q.torch) {
    const f = (v: number | null) => (v === null ? 'not measured' : `${v.toFixed(2)}x`);
    lines.push(`vs PyTorch CPU (target <= 1.5x), ${t.model}, ${t.where} ${t.backend}: step ${f(t.step)}, fitness evaluation ${f(t.fitness)}, forward pass alone ${f(t.forward)}`);
  }
  if (q.torch.some((t) => t.forward !== null)) {
    lines.push(
      "forward pass alone: the dense model's inference at the batch, the backend's own kernels (XNNPACK in wasm) against PyTorch's with none of the studio's training code; " +
        'a step ratio near it is the kernels\' gap, one well above it the training path\'s',
    );
  }
  return lines;
}

/**
 * Lines for the search side by side: seconds per evaluation with the main thread and its
 * workers (throughput) against PyTorch's one evaluation on every core.
 */
export function searchLines(rows: BenchRow[], search: { model: string; width: number; secondsPerEvaluation: number }[]): string[] {
  return search.map((s) => {
    const ref = rows.find((r) => r.where === 'pytorch' && r.model === s.model)?.fitnessSeconds ?? null;
    const vs = ref ? `, ${(s.secondsPerEvaluation / ref).toFixed(2)}x PyTorch's evaluation on every core` : '';
    return `search, ${s.model}, node wasm: ${s.width} evaluations side by side, ${s.secondsPerEvaluation.toFixed(2)} s per evaluation${vs}`;
  });
}

/** The training-threads lines: the split step, the one-thread step, and the split step against PyTorch's (both cores). */
export function threadLines(rows: BenchRow[], threaded: { model: string; batch: number; result: { threads: number; oneMs: number; splitMs: number; speedup: number; steps: number } }[]): string[] {
  return threaded.map(({ model, batch, result: r }) => {
    const ref = rows.find((x) => x.where === 'pytorch' && x.model === model && x.batch === batch)?.dstMs ?? null;
    const vs = ref ? `; ${(r.splitMs / ref).toFixed(2)}x PyTorch's step (target <= 1.5x)` : '';
    return `training threads, ${model}, node wasm: step on ${r.threads} threads ${r.splitMs.toFixed(0)} ms, on one ${r.oneMs.toFixed(0)} ms, ${r.speedup.toFixed(2)}x faster (median of ${r.steps} pairs)${vs}`;
  });
}
