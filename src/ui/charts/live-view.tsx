import { PhaseStepper } from '../components/phase-stepper';
import { useStudio } from '../store';
import { ChurnChart, EvalChart, SearchChart, TrainChart } from './train-charts';
import { MemoryChart } from './memory-chart';
import { SparsityChart } from './sparsity-chart';

const NO_LAYERS: never[] = [];

/** The run as it happens: phases, progress and every live chart. */
export function LiveView() {
  const run = useStudio((s) => s.run);
  const prunable = useStudio((s) => s.model?.prunable ?? NO_LAYERS);
  return (
    <section className="panel live" data-testid="live-view">
      <h2>3 · Run</h2>
      <PhaseStepper />
      {run.warnings.length > 0 && (
        <ul className="run-warnings" data-testid="run-warnings">
          {run.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
      {run.status === 'idle' ? (
        <p className="muted" data-testid="charts-idle">
          Press Run to watch the search pick a sparsity per layer, then the sparse network train back toward the dense one:
          loss, log base, learning rate, validation score, mask churn and per-layer sparsity appear here live.
        </p>
      ) : (
        <div className="charts">
          <SearchChart data={run.search} />
          <SparsityChart prunable={prunable} layers={run.layers} searchSparsities={run.searchSparsities} final={run.report !== null} />
          <TrainChart data={run.train} y="loss" />
          <TrainChart data={run.train} y="tau" />
          <TrainChart data={run.train} y="lr" />
          <EvalChart data={run.evals} />
          <ChurnChart data={run.churn} />
          <MemoryChart data={run.memory} />
        </div>
      )}
      {run.log.length > 0 && (
        <details className="log">
          <summary>Log ({run.log.length})</summary>
          <pre data-testid="run-log">{run.log.join('\n')}</pre>
        </details>
      )}
    </section>
  );
}
