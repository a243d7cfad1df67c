import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { num } from '../format';
import type { TrainPoint } from '../run-state';
import { AXIS_STYLE, ChartCard, COLORS } from './chart-card';

const HINT =
  'Solid: the gap between sparse and dense outputs, T²·KL(dense ‖ sparse); never negative, 0 means the same answers. ' +
  'Dashed (right axis): the objective training lowers, T²·KL/τ − T²(1 − 1/τ)·H(dense): the teacher’s entropy term is a constant, so it sits below 0 and only its slope means anything.';

/** The KL gap per training step, with the base-decayed objective as a second line on its own axis. */
export const KlChart = memo(function KlChart({ data, note = null }: { data: TrainPoint[]; note?: string | null }) {
  const kl = data.flatMap((p) => (p.kl === null ? [] : [p.kl]));
  // A diverged step's KL is NaN: the minimum is over the finite ones, and absent when there are none.
  const finite = kl.filter((v) => Number.isFinite(v));
  const attrs: Record<`data-${string}`, string | number> = {
    ...(finite.length > 0 ? { 'data-kl-min': Math.min(...finite) } : {}),
    ...(kl.length > 0 ? { 'data-kl-series': kl.map((v) => v.toPrecision(4)).join(' ') } : {}),
  };
  return (
    <ChartCard testid="chart-loss" title="KL gap (loss)" hint={HINT} points={data.length} empty="Starts with sparse training." note={note} attrs={attrs}>
      <LineChart data={data} margin={{ top: 8, right: 4, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={AXIS_STYLE} />
        <YAxis yAxisId="kl" tick={AXIS_STYLE} tickFormatter={num} width={44} domain={[0, 'auto']} />
        <YAxis yAxisId="objective" orientation="right" tick={AXIS_STYLE} tickFormatter={num} width={44} domain={['auto', 'auto']} />
        <Tooltip formatter={(v) => num(Number(v))} labelFormatter={(s) => `step ${s}`} />
        <Legend wrapperStyle={AXIS_STYLE} />
        <Line yAxisId="kl" name="KL gap" dataKey="kl" stroke={COLORS[0]} dot={false} isAnimationActive={false} strokeWidth={2} />
        <Line yAxisId="objective" name="objective (base-decayed)" dataKey="loss" stroke={COLORS[5]} strokeDasharray="4 3" dot={false} isAnimationActive={false} strokeWidth={1} />
      </LineChart>
    </ChartCard>
  );
});
