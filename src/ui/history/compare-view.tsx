import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_STYLE, ChartCard, COLORS } from '../charts/chart-card';
import { rateText } from '../../core/words/numbers';
import { duration, num, pct } from '../format';
import type { RunRecord } from '../persist/db';
import { headline, recipeLabel, statusLabel } from './run-labels';

/** The rate a run trained at (the automatic one it chose, once known), as people read it. */
function lrLabel(r: RunRecord): string {
  const lr = r.state.report?.settings.lr ?? r.options.lr;
  return lr > 0 ? rateText(lr) : 'auto';
}

/** One row of the comparison: a label and how to read it from a run. */
const ROWS: { label: string; value: (r: RunRecord) => string }[] = [
  { label: 'Model', value: (r) => r.modelName },
  { label: 'Images', value: (r) => `${r.imageCount} (${r.datasetSource})` },
  { label: 'Recipe', value: recipeLabel },
  { label: 'Status', value: statusLabel },
  { label: 'Achieved sparsity', value: (r) => pct(r.state.report?.globalSparsity, 2) },
  { label: 'Epochs · batch · lr', value: (r) => `${r.options.epochs} · ${r.options.batchSize} · ${lrLabel(r)}` },
  { label: 'Objective', value: (r) => `${r.options.objective}, T ${r.options.temperature}` },
  { label: 'Dense', value: (r) => pct(headline(r.state.metrics.dense)) },
  { label: 'One-shot', value: (r) => pct(headline(r.state.metrics.oneShot)) },
  { label: 'Final', value: (r) => pct(headline(r.state.metrics.final)) },
  { label: 'Agreement with dense', value: (r) => pct(r.state.metrics.final?.agreement) },
  { label: 'KL to dense', value: (r) => num(r.state.metrics.final?.kl) },
  { label: 'Returned', value: (r) => r.state.report?.returned ?? '–' },
  { label: 'Backend', value: (r) => r.backend },
  { label: 'Time per step', value: (r) => (r.state.report ? `${r.state.report.timings.msPerStep.toFixed(0)} ms` : '–') },
  { label: 'Total time', value: (r) => duration(r.state.report?.timings.totalSeconds) },
];

/** A run's short name in legends: its position in the list and its recipe. */
const nameOf = (r: RunRecord, i: number) => `#${i + 1} ${recipeLabel(r)}`;

/** Ticked runs side by side: a table of settings and scores, and their curves on shared axes. */
export function CompareView({ runs }: { runs: RunRecord[] }) {
  const steps = runs.reduce((n, r) => n + r.state.train.length, 0);
  const evals = runs.reduce((n, r) => n + r.state.evals.length, 0);
  return (
    <div className="compare" data-testid="compare-view">
      <h3>Side by side</h3>
      <div className="table-scroll">
        <table className="compare-table" data-testid="compare-table">
          <thead>
            <tr>
              <th />
              {runs.map((r, i) => (
                <th key={r.id} data-testid="compare-column">
                  {nameOf(r, i)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => (
              <tr key={row.label} data-testid={`compare-row-${row.label.toLowerCase().replace(/[^a-z]+/g, '-')}`}>
                <th>{row.label}</th>
                {runs.map((r) => (
                  <td key={r.id}>{row.value(r)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="charts">
        <ChartCard testid="compare-loss" title="Loss" hint="Training loss of each run against its step." points={steps} empty="None of these runs trained.">
          <LineChart margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={AXIS_STYLE} />
            <YAxis tick={AXIS_STYLE} tickFormatter={num} width={52} domain={['auto', 'auto']} />
            <Tooltip formatter={(v) => num(Number(v))} labelFormatter={(s) => `step ${s}`} />
            <Legend wrapperStyle={AXIS_STYLE} />
            {runs.map((r, i) => (
              <Line key={r.id} data={r.state.train} dataKey="loss" name={nameOf(r, i)} stroke={COLORS[i % COLORS.length]} dot={false} isAnimationActive={false} strokeWidth={1.5} />
            ))}
          </LineChart>
        </ChartCard>
        <ChartCard testid="compare-eval" title="Validation agreement" hint="Agreement with the dense model at each validation check." points={evals} empty="No validation checks yet.">
          <LineChart margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={AXIS_STYLE} />
            <YAxis tick={AXIS_STYLE} tickFormatter={(v: number) => pct(v, 0)} width={44} domain={[0, 1]} />
            <Tooltip formatter={(v) => pct(Number(v))} labelFormatter={(s) => `step ${s}`} />
            <Legend wrapperStyle={AXIS_STYLE} />
            {runs.map((r, i) => (
              <Line key={r.id} data={r.state.evals} dataKey="agreement" name={nameOf(r, i)} stroke={COLORS[i % COLORS.length]} isAnimationActive={false} strokeWidth={1.5} />
            ))}
          </LineChart>
        </ChartCard>
      </div>
    </div>
  );
}
