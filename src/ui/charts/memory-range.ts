/** What the memory readout says: the latest reading and the spread once training has settled. */
import type { MemoryPoint } from '../run-state';

/** Steps before the spread counts: the first steps create the optimiser state and masks. */
export const MEMORY_WARMUP_STEPS = 10;

export interface MemoryRange {
  latest: MemoryPoint;
  /** Readings after warm-up that the spread is over (0 early in a run). */
  settledPoints: number;
  minTensors: number;
  maxTensors: number;
  minBytes: number;
  maxBytes: number;
}

/** The latest reading and min/max over readings past `warmup` steps; null before the first reading. */
export function memoryRange(series: readonly MemoryPoint[], warmup = MEMORY_WARMUP_STEPS): MemoryRange | null {
  const latest = series[series.length - 1];
  if (!latest) return null;
  const settled = series.filter((p) => p.step > warmup);
  const over = settled.length > 0 ? settled : [latest];
  const tensors = over.map((p) => p.numTensors);
  const bytes = over.map((p) => p.numBytes);
  return {
    latest,
    settledPoints: settled.length,
    minTensors: Math.min(...tensors),
    maxTensors: Math.max(...tensors),
    minBytes: Math.min(...bytes),
    maxBytes: Math.max(...bytes),
  };
}
