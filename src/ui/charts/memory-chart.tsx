import { memo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { bytes, count } from '../format';
import type { MemoryPoint } from '../run-state';
import { AXIS_STYLE, ChartCard, COLORS } from './chart-card';
import { MEMORY_WARMUP_STEPS, memoryRange } from './memory-range';

/**
 * Live tensors and backend memory during training: a flat line means nothing leaks. The readout
 * carries the numbers as data attributes too, for the page's tests.
 */
export const MemoryChart = memo(function MemoryChart({ data }: { data: MemoryPoint[] }) {
  return (
    <div className="memory-card">
      <ChartCard
        testid="chart-memory"
        title="Memory"
        hint={`Live tensors during training (tf.memory()); flat after the first ${MEMORY_WARMUP_STEPS} steps when nothing leaks.`}
        points={data.length}
        empty="Starts with sparse training."
        height={140}
      >
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={AXIS_STYLE} />
          <YAxis tick={AXIS_STYLE} width={52} domain={['auto', 'auto']} allowDecimals={false} />
          <Tooltip formatter={(v) => count(Number(v))} labelFormatter={(s) => `step ${s}`} />
          <Line name="tensors" dataKey="numTensors" stroke={COLORS[5]} dot={false} isAnimationActive={false} strokeWidth={1.5} />
        </LineChart>
      </ChartCard>
      <MemoryReadout data={data} />
    </div>
  );
});

/** One line under the chart: tensors and MB now, and their spread since warm-up. */
function MemoryReadout({ data }: { data: MemoryPoint[] }) {
  const r = memoryRange(data);
  if (!r) return null;
  const growth = r.maxTensors - r.minTensors;
  return (
    <p
      className="memory-readout muted small"
      data-testid="memory-readout"
      data-step={r.latest.step}
      data-tensors={r.latest.numTensors}
      data-bytes={r.latest.numBytes}
      data-settled-points={r.settledPoints}
      data-min-tensors={r.minTensors}
      data-max-tensors={r.maxTensors}
      data-min-bytes={r.minBytes}
      data-max-bytes={r.maxBytes}
      data-heap-bytes={r.latest.heapBytes ?? undefined}
      data-gpu-bytes={r.latest.gpuBytes ?? undefined}
    >
      Memory at step {r.latest.step}: {count(r.latest.numTensors)} tensors, {bytes(r.latest.numBytes)}
      {r.latest.heapBytes !== null && ` · wasm heap ${bytes(r.latest.heapBytes)}`}
      {r.latest.gpuBytes !== null && ` · GPU buffers ${bytes(r.latest.gpuBytes)}`}
      {r.settledPoints > 1 &&
        (growth === 0 && r.maxBytes === r.minBytes
          ? ` · steady since step ${MEMORY_WARMUP_STEPS}`
          : ` · since step ${MEMORY_WARMUP_STEPS}: ${count(r.minTensors)}–${count(r.maxTensors)} tensors, ${bytes(r.minBytes)}–${bytes(r.maxBytes)}`)}
    </p>
  );
}
