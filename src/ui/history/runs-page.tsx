import { useEffect, useState } from 'react';
import { bytes, duration, pct } from '../format';
import type { RunRecord } from '../persist/db';
import { useStudio } from '../store';
import { CompareView } from './compare-view';
import { deleteSavedRun, downloadSavedRun, openSavedRun, resumeSavedRun } from './history-actions';
import { headline, recipeLabel, resumable, statusLabel } from './run-labels';

function RunRow({ r, selected, onSelect, busy }: { r: RunRecord; selected: boolean; onSelect: (on: boolean) => void; busy: boolean }) {
  const m = r.state.metrics;
  const seconds = r.state.report?.timings.totalSeconds ?? (r.updatedAt - r.createdAt) / 1000;
  return (
    <tr data-testid="run-row" data-run-id={r.id} data-status={r.status}>
      <td>
        <input type="checkbox" data-testid="run-select" aria-label="Compare this run" checked={selected} onChange={(e) => onSelect(e.target.checked)} />
      </td>
      <td>{new Date(r.createdAt).toLocaleString()}</td>
      <td title={r.modelSource}>{r.modelName}</td>
      <td>{recipeLabel(r)}</td>
      <td data-testid="run-status-cell" className={`run-status-${r.status}`}>
        {statusLabel(r)}
        {r.error && r.status !== 'done' ? <div className="muted small">{r.error}</div> : null}
      </td>
      <td className="num">{pct(headline(m.dense))}</td>
      <td className="num">{pct(headline(m.oneShot))}</td>
      <td className="num" data-testid="run-final">{pct(headline(m.final))}</td>
      <td>{r.state.report?.returned ?? '–'}</td>
      <td>{r.backend}</td>
      <td className="num">{duration(seconds)}</td>
      <td className="actions">
        <button type="button" className="secondary" data-testid="run-open" onClick={() => void openSavedRun(r.id)} disabled={busy}>
          Open
        </button>
        {r.hasArtifacts && (
          <button type="button" className="secondary" data-testid="run-download" onClick={() => void downloadSavedRun(r.id)}>
            Download
          </button>
        )}
        {resumable(r) && (
          <button type="button" className="primary" data-testid="run-resume" title={r.checkpointStep === null ? 'No checkpoint: starts over with the same settings and inputs' : `Checkpoint at step ${r.checkpointStep}: ${bytes(r.checkpointBytes)}`} onClick={() => void resumeSavedRun(r.id)} disabled={busy}>
            {r.checkpointStep === null ? 'Run again' : 'Resume'}
          </button>
        )}
        <button type="button" className="secondary" data-testid="run-delete" onClick={() => void deleteSavedRun(r.id)} disabled={r.status === 'running'}>
          Delete
        </button>
      </td>
    </tr>
  );
}

/** Every saved run, with open / download / resume / delete, and a side-by-side comparison of the ticked ones. */
export function RunsPage() {
  const runs = useStudio((s) => s.runs);
  const busy = useStudio((s) => s.run.status === 'running' || s.run.status === 'cancelling');
  const [picked, setPicked] = useState<string[]>([]);
  const [usage, setUsage] = useState<string | null>(null);
  useEffect(() => {
    void navigator.storage
      ?.estimate()
      .then((e) => setUsage(`${bytes(e.usage ?? 0)} of this browser's storage in use (quota ${bytes(e.quota ?? 0)}).`))
      .catch(() => undefined);
  }, [runs]);
  if (runs === null) return <section className="panel">Reading saved runs…</section>;
  const chosen = runs.filter((r) => picked.includes(r.id));
  return (
    <section className="panel runs-page" data-testid="runs-page">
      <h2>Runs</h2>
      <p className="muted small">
        Saved in this browser as they run (settings, charts, results, the sparse model, and a checkpoint to resume from). Tick two or more to
        compare them.{usage ? ` ${usage}` : ''}
      </p>
      {runs.length === 0 ? (
        <p data-testid="runs-empty">No runs yet: a run appears here as soon as it starts.</p>
      ) : (
        <div className="table-scroll">
          <table className="runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th />
                <th>Started</th>
                <th>Model</th>
                <th>Recipe</th>
                <th>Status</th>
                <th>Dense</th>
                <th>One-shot</th>
                <th>Final</th>
                <th>Returned</th>
                <th>Backend</th>
                <th>Time</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <RunRow
                  key={r.id}
                  r={r}
                  busy={busy}
                  selected={picked.includes(r.id)}
                  onSelect={(on) => setPicked((p) => (on ? [...p, r.id] : p.filter((id) => id !== r.id)))}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {chosen.length >= 2 && <CompareView runs={chosen} />}
    </section>
  );
}
