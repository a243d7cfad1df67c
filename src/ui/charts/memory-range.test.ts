import { describe, expect, it } from 'vitest';
import type { MemoryPoint } from '../run-state';
import { memoryRange } from './memory-range';

const p = (step: number, numTensors: number, numBytes = numTensors * 100): MemoryPoint => ({ step, numTensors, numBytes });

describe('memoryRange', () => {
  it('is null before the first reading', () => {
    expect(memoryRange([])).toBeNull();
  });

  it('spreads over readings after warm-up only, and keeps the latest', () => {
    const r = memoryRange([p(1, 50), p(5, 80), p(10, 90), p(15, 120), p(20, 118), p(25, 121)], 10);
    expect(r).toEqual({ latest: p(25, 121), settledPoints: 3, minTensors: 118, maxTensors: 121, minBytes: 11800, maxBytes: 12100 });
  });

  it('falls back to the latest reading while still warming up', () => {
    expect(memoryRange([p(1, 50), p(5, 80)], 10)).toMatchObject({ settledPoints: 0, minTensors: 80, maxTensors: 80 });
  });
});
