import type { LayerReport } from '../../core/events';
import { count, pct } from '../format';

/** The per-layer outcome: what each kernel was asked for, what it got, and the baselines. */
export function LayerTable({ layers }: { layers: LayerReport[] }) {
  return (
    <div className="table-scroll">
      <table data-testid="result-layers-table">
        <thead>
          <tr>
            <th>#</th>
            <th>Layer</th>
            <th>Kind</th>
            <th className="num">Weights</th>
            <th>Pattern</th>
            <th className="num">Target</th>
            <th className="num">Achieved</th>
            <th className="num">Uniform</th>
            <th className="num">ERK</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((l, i) => (
            <tr key={l.name} className={l.keptDense ? 'kept-dense' : undefined}>
              <td>{i + 1}</td>
              <td className="mono">{l.name}</td>
              <td>{l.kind}</td>
              <td className="num">{count(l.params)}</td>
              <td title={l.patternNote}>
                {l.pattern}
                {l.patternNote ? ' *' : ''}
              </td>
              <td className="num">{pct(l.targetSparsity)}</td>
              <td className="num" data-testid={`layer-achieved-${i}`}>
                {pct(l.sparsity, 2)}
              </td>
              <td className="num">{pct(l.uniform)}</td>
              <td className="num">{pct(l.erk)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
