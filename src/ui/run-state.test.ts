import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../core/events';
import { applyEvents, idleRun, MAX_POINTS, thin, type RunState } from './run-state';

const running: RunState = { ...idleRun, status: 'running' };

function steps(from: number, count: number): ProgressEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'train-step',
    step: from + i,
    totalSteps: 10_000,
    epoch: 0,
    loss: 1 / (from + i + 1),
    kl: 2 / (from + i + 1),
    tau: 8,
    lr: 0.01,
    msPerStep: 5,
  }));
}

describe('applyEvents', () => {
  it('returns the same object for an empty batch', () => {
    expect(applyEvents(running, [])).toBe(running);
  });

  it('tracks phases in order and keeps only the current phase progress', () => {
    const s = applyEvents(running, [
      { type: 'phase', phase: 'load', message: 'Loading' },
      { type: 'progress', phase: 'load', done: 1, total: 2, etaSeconds: 3 },
      { type: 'phase', phase: 'search', message: 'Searching' },
      { type: 'progress', phase: 'load', done: 2, total: 2, etaSeconds: 0 },
    ]);
    expect(s.phasesSeen).toEqual(['load', 'search']);
    expect(s.phase).toBe('search');
    expect(s.phaseMessage).toBe('Searching');
    expect(s.progress).toBeNull();
  });

  it('appends series and leaves untouched series as the same arrays', () => {
    const s = applyEvents(running, [
      ...steps(0, 3),
      { type: 'search-generation', generation: 0, generations: 2, best: 0.5, mean: 0.4, sparsities: [0.1, 0.9] },
      { type: 'eval', step: 2, metrics: { agreement: 0.8, kl: 0.1, count: 10, top1: 0.7 }, best: true },
      { type: 'metrics', which: 'dense', metrics: { agreement: 1, kl: 0, count: 10 } },
      { type: 'warning', message: 'small set' },
    ]);
    expect(s.train.map((p) => p.step)).toEqual([0, 1, 2]);
    expect(s.search).toEqual([{ generation: 0, best: 0.5, mean: 0.4 }]);
    expect(s.searchSparsities).toEqual([0.1, 0.9]);
    expect(s.evals).toEqual([{ step: 2, agreement: 0.8, top1: 0.7, kl: 0.1, best: true }]);
    expect(s.metrics.dense?.agreement).toBe(1);
    expect(s.warnings).toEqual(['small set']);
    expect(s.churn).toBe(running.churn);
    expect(s.status).toBe('running');
  });

  it('folds memory readings into their own series, thinned like the others', () => {
    const reading = (step: number): ProgressEvent => ({ type: 'memory', step, numTensors: 100 + (step % 3), numBytes: 4096 * step, heapBytes: 2 ** 24, gpuBytes: null });
    const s = applyEvents(running, [...steps(1, 2), reading(1), reading(5)]);
    expect(s.memory).toEqual([
      { step: 1, numTensors: 101, numBytes: 4096, heapBytes: 2 ** 24, gpuBytes: null },
      { step: 5, numTensors: 102, numBytes: 20480, heapBytes: 2 ** 24, gpuBytes: null },
    ]);
    expect(s.train).toHaveLength(2);
    expect(applyEvents(s, steps(3, 1)).memory).toBe(s.memory);
    let long = running;
    for (let i = 0; i < 30; i++) long = applyEvents(long, Array.from({ length: 100 }, (_, k) => reading(i * 100 + k)));
    expect(long.memory.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(long.memory[long.memory.length - 1]!.step).toBe(2999);
  });

  it('thins long series but keeps the newest point', () => {
    let s = running;
    for (let i = 0; i < 30; i++) s = applyEvents(s, steps(i * 100, 100));
    expect(s.train.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(s.train[s.train.length - 1]!.step).toBe(2999);
    expect(s.train[0]!.step).toBe(0);
  });
});

describe('thin', () => {
  it('halves a series over the limit and ends on its last element', () => {
    const series = Array.from({ length: MAX_POINTS + 2 }, (_, i) => i);
    const out = thin(series);
    expect(out.length).toBeLessThan(series.length);
    expect(out[out.length - 1]).toBe(MAX_POINTS + 1);
  });
});
