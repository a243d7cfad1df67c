import { describe, expect, it } from 'vitest';
import { ratioLines, ratios, searchLines, tableLines, threadLines } from './report';
import { BENCH_MODELS, skippedRow, type BenchRow } from './rows';

const [demo, mobilenet] = BENCH_MODELS as [typeof BENCH_MODELS[0], typeof BENCH_MODELS[0]];
const row = (where: BenchRow['where'], backend: string, m: typeof demo, dstMs: number, fitnessSeconds: number, denseKdMs: number | null = null, forwardMs: number | null = null): BenchRow => ({
  ...skippedRow(where, backend, m, ''), note: null, steps: 3, dstMs, denseKdMs, overhead: denseKdMs ? dstMs / denseKdMs : null, fitnessSeconds, forwardMs, chunk: m.batch, heapMB: 100, gpuMB: null, rssMB: 300,
});

describe('bench ratios', () => {
  it('take each host\'s fastest backend per model over PyTorch, step and fitness apart', () => {
    const rows = [
      row('node', 'wasm', demo, 60, 0.5, 55),
      row('node', 'cpu', demo, 900, 4, 880),
      row('chromium', 'wasm', demo, 40, 0.3, 40),
      row('chromium', 'webgl', demo, 400, 2, 300),
      row('node', 'wasm', mobilenet, 1500, 3, null, 300),
      row('node', 'wasm-mt', mobilenet, 1600, 2.4, null, 240),
      row('pytorch', 'cpu 2t', demo, 20, 0.1),
      row('pytorch', 'cpu 2t', mobilenet, 500, 0.6, null, 200),
    ];
    const q = ratios(rows);
    expect(q.overhead).toEqual({ 'node wasm': 60 / 55, 'node cpu': 900 / 880, 'chromium wasm': 1, 'chromium webgl': 400 / 300 });
    expect(q.wasmOverWebgl).toBe(10);
    const round = (v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6);
    expect(q.torch.map((t) => ({ ...t, step: round(t.step), fitness: round(t.fitness) }))).toEqual([
      { model: demo.name, where: 'node', backend: 'wasm', step: 3, fitness: 5, forward: null },
      { model: demo.name, where: 'chromium', backend: 'wasm', step: 2, fitness: 3, forward: null },
      // The fastest step came from wasm, the fastest fitness evaluation and forward pass from wasm-mt.
      { model: mobilenet.name, where: 'node', backend: 'wasm', step: 3, fitness: 4, forward: 1.2 },
    ]);
    const lines = ratioLines(rows, q);
    expect(lines).toContain(`vs PyTorch CPU (target <= 1.5x), ${mobilenet.name}, node wasm: step 3.00x, fitness evaluation 4.00x, forward pass alone 1.20x`);
    expect(lines).toContain(`vs PyTorch CPU (target <= 1.5x), ${demo.name}, node wasm: step 3.00x, fitness evaluation 5.00x, forward pass alone not measured`);
    expect(lines.some((l) => l.startsWith('forward pass alone: '))).toBe(true);
    expect(tableLines(rows)[1]).toMatch(/node\s+wasm\s+demo CNN \(CIFAR-10\)\s+32\s+32\s+3\s+60\s+55\s+1\.09/);
    expect(tableLines(rows)[5]).toMatch(/node\s+wasm\s+MobileNet v1 0\.25\s+32\s+32\s+3\s+1500\s.*\s3\.00\s+300\.0\s+100/);
  });

  it('say when PyTorch was not measured', () => {
    const rows = [row('node', 'wasm', demo, 60, 0.5, 55), skippedRow('pytorch', 'cpu 2t', demo, 'not measured (Debian python3-torch not installed)')];
    expect(ratioLines(rows, ratios(rows))).toContain('PyTorch: not measured (Debian python3-torch not installed)');
  });

  it('put the search side by side against PyTorch\'s one evaluation', () => {
    const rows = [row('pytorch', 'cpu 2t', mobilenet, 500, 0.5)];
    expect(searchLines(rows, [{ model: mobilenet.name, width: 2, secondsPerEvaluation: 0.6 }])).toEqual([
      `search, ${mobilenet.name}, node wasm: 2 evaluations side by side, 0.60 s per evaluation, 1.20x PyTorch's evaluation on every core`,
    ]);
    expect(searchLines([], [{ model: demo.name, width: 2, secondsPerEvaluation: 0.05 }])[0]).toBe(`search, ${demo.name}, node wasm: 2 evaluations side by side, 0.05 s per evaluation`);
  });

  it('put the step on training threads against one thread and PyTorch\'s step', () => {
    const rows = [row('pytorch', 'cpu 2t', mobilenet, 500, 0.5)];
    const r = { threads: 2, oneMs: 1200, splitMs: 800, speedup: 1.45, steps: 5 };
    expect(threadLines(rows, [{ model: mobilenet.name, batch: mobilenet.batch, result: r }])).toEqual([
      `training threads, ${mobilenet.name}, node wasm: step on 2 threads 800 ms, on one 1200 ms, 1.45x faster (median of 5 pairs); 1.60x PyTorch's step (target <= 1.5x)`,
    ]);
    expect(threadLines([], [{ model: demo.name, batch: demo.batch, result: r }])[0]).not.toContain('PyTorch');
  });
});
