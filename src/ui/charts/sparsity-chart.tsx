import { memo, useMemo } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { LayerReport, LayerSummary } from '../../core/events';
import { pct } from '../format';
import { AXIS_STYLE, ChartCard, COLORS } from './chart-card';

interface Row {
  index: number;
  name: string;
  target: number | null;
  achieved: number | null;
  uniform: number | null;
  erk: number | null;
}

interface Props {
  /** The model's prunable kernels (names and order). */
  prunable: LayerSummary[];
  /** The run's per-layer plan/outcome, once known. */
  layers: LayerReport[] | null;
  /** Best genome so far while the search runs. */
  searchSparsities: number[] | null;
  /** Show achieved sparsity (only meaningful once the model is exported). */
  final: boolean;
  /** Teaching mode's explanation. */
  note?: string | null;
}

/** Per-layer sparsity: the chosen target and the achieved one, against uniform and ERK. */
export const SparsityChart = memo(function SparsityChart({ prunable, layers, searchSparsities, final, note = null }: Props) {
  const rows = useMemo<Row[]>(() => {
    if (layers) {
      return layers.map((l, i) => ({
        index: i + 1,
        name: l.name,
        target: l.targetSparsity,
        achieved: final ? l.sparsity : null,
        uniform: l.uniform,
        erk: l.erk,
      }));
    }
    if (!searchSparsities) return [];
    return prunable.map((l, i) => ({ index: i + 1, name: l.name, target: searchSparsities[i] ?? null, achieved: null, uniform: null, erk: null }));
  }, [prunable, layers, searchSparsities, final]);

  return (
    <ChartCard
      testid="chart-sparsity"
      title="Per-layer sparsity"
      hint="Bars: the run’s target per layer (and what the exported kernel achieved). Lines: uniform and ERK for the same global target."
      points={rows.length}
      empty="Appears once the layer-wise distribution is chosen."
      height={220}
      note={note}
    >
      <ComposedChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="index" tick={AXIS_STYLE} interval="preserveStartEnd" />
        <YAxis tick={AXIS_STYLE} tickFormatter={(v: number) => pct(v, 0)} width={44} domain={[0, 1]} />
        <Tooltip
          formatter={(v) => pct(Number(v))}
          labelFormatter={(_, payload) => {
            const row = payload?.[0]?.payload as Row | undefined;
            return row ? `${row.index}. ${row.name}` : '';
          }}
        />
        <Legend wrapperStyle={AXIS_STYLE} />
        <Bar name="target" dataKey="target" fill={COLORS[0]} isAnimationActive={false} />
        {final && <Bar name="achieved" dataKey="achieved" fill={COLORS[2]} isAnimationActive={false} />}
        <Line name="uniform" dataKey="uniform" stroke={COLORS[1]} dot={false} strokeDasharray="5 3" isAnimationActive={false} />
        <Line name="ERK" dataKey="erk" stroke={COLORS[3]} dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ChartCard>
  );
});
