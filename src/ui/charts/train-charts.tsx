import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { num, pct, pctTick } from '../format';
import type { ChurnPoint, EvalPoint, SearchPoint, TrainPoint } from '../run-state';
import { AXIS_STYLE, ChartCard, COLORS } from './chart-card';

/** Upper y bound that stays sensible when every value is 0 (recharts would pick 0..4). */
const nonZeroMax = (max: number) => (max > 0 ? max : 0.01);

type TrainKey = 'tau' | 'lr';

const TRAIN_CHARTS: Record<TrainKey, { testid: string; title: string; hint: string }> = {
  tau: { testid: 'chart-tau', title: 'ln b (τ)', hint: 'Log base of the objective; it decays so the gradient does not fade.' },
  lr: { testid: 'chart-lr', title: 'Learning rate', hint: 'Linear warm-up, then cosine decay.' },
};

/** One scalar of the training steps against the step number. */
export const TrainChart = memo(function TrainChart({ data, y, note = null }: { data: TrainPoint[]; y: TrainKey; note?: string | null }) {
  const c = TRAIN_CHARTS[y];
  return (
    <ChartCard testid={c.testid} title={c.title} hint={c.hint} points={data.length} empty="Starts with sparse training." note={note}>
      <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={AXIS_STYLE} />
        <YAxis tick={AXIS_STYLE} tickFormatter={num} width={52} domain={['auto', 'auto']} />
        <Tooltip formatter={(v) => num(Number(v))} labelFormatter={(s) => `step ${s}`} />
        <Line dataKey={y} stroke={COLORS[y === 'tau' ? 3 : 2]} dot={false} isAnimationActive={false} strokeWidth={1.5} />
      </LineChart>
    </ChartCard>
  );
});

/** Validation agreement (and top-1 when labelled) at each check during training. */
export const EvalChart = memo(function EvalChart({ data, note = null }: { note?: string | null; data: EvalPoint[] }) {
  const labelled = data.some((d) => d.top1 !== null);
  return (
    <ChartCard
      testid="chart-eval"
      title="Validation score"
      hint="Scored on images never trained on; the best checkpoint is kept."
      points={data.length}
      empty="Appears at the first validation check."
      note={note}
    >
      <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={AXIS_STYLE} />
        <YAxis tick={AXIS_STYLE} tickFormatter={(v: number) => pct(v, 0)} width={44} domain={[0, 1]} />
        <Tooltip formatter={(v) => pct(Number(v))} labelFormatter={(s) => `step ${s}`} />
        <Legend wrapperStyle={AXIS_STYLE} />
        <Line name="agreement with dense" dataKey="agreement" stroke={COLORS[0]} isAnimationActive={false} />
        {labelled && <Line name="top-1" dataKey="top1" stroke={COLORS[1]} isAnimationActive={false} />}
      </LineChart>
    </ChartCard>
  );
});

/** Fraction of mask bits that flipped since the last log: the mean and each layer. */
export const ChurnChart = memo(function ChurnChart({ data, note = null }: { note?: string | null; data: ChurnPoint[] }) {
  const layers = data[0]?.perLayer.length ?? 0;
  const rows = useMemo(
    () => data.map((d) => Object.fromEntries([['step', d.step], ['mean', d.mean], ...d.perLayer.map((v, i) => [`l${i}`, v])])),
    [data],
  );
  return (
    <ChartCard
      testid="chart-churn"
      title="Mask churn"
      hint="Share of mask bits that flipped; it should fall as training settles. Thin lines: layers."
      points={data.length}
      empty="Starts with sparse training."
      note={note}
    >
      <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={AXIS_STYLE} />
        <YAxis tick={AXIS_STYLE} tickFormatter={pctTick} width={52} domain={[0, nonZeroMax]} />
        <Tooltip formatter={(v) => pct(Number(v), 2)} labelFormatter={(s) => `step ${s}`} />
        {Array.from({ length: layers }, (_, i) => (
          <Line key={i} dataKey={`l${i}`} name={`layer ${i + 1}`} stroke="#cbd5e1" strokeWidth={0.75} dot={false} isAnimationActive={false} />
        ))}
        <Line dataKey="mean" name="mean" stroke={COLORS[4]} strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartCard>
  );
});

/** Fitness of the best genome and the population mean per generation. */
export const SearchChart = memo(function SearchChart({ data, note = null }: { note?: string | null; data: SearchPoint[] }) {
  return (
    <ChartCard
      testid="chart-search"
      title="Search fitness"
      hint="Best and mean fitness per generation of the layer-wise sparsity search."
      points={data.length}
      empty="Shown while the distribution search runs."
      note={note}
    >
      <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="generation" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={AXIS_STYLE} />
        <YAxis tick={AXIS_STYLE} tickFormatter={num} width={52} domain={['auto', 'auto']} />
        <Tooltip formatter={(v) => num(Number(v))} labelFormatter={(g) => `generation ${g}`} />
        <Legend wrapperStyle={AXIS_STYLE} />
        <Line name="best" dataKey="best" stroke={COLORS[2]} isAnimationActive={false} />
        <Line name="mean" dataKey="mean" stroke={COLORS[5]} strokeDasharray="4 3" isAnimationActive={false} />
      </LineChart>
    </ChartCard>
  );
});
