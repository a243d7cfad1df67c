import { BACKENDS, formatMs } from '../../core/backend-pick';
import type { BackendProbe } from '../../core/session-types';
import { chooseBackend } from '../actions';
import { useStudio } from '../store';

/** The figure cell of one probe row: "45 ms", "> 3,000 ms", "failed", "—". */
function figure(p: BackendProbe): string {
  if (p.status === 'measured' && p.msPerStep !== null) return `${formatMs(p.msPerStep)} ms`;
  if (p.status === 'slow' && p.warmupMs !== null) return `> ${formatMs(p.warmupMs)} ms`;
  return p.status === 'failed' ? 'failed' : '—';
}

/** The start-up probe: ms per training step of a tiny convnet on each backend; the one in use is marked. */
export function ProbeTable({ probes, current, probedAt }: { probes: BackendProbe[]; current: string; probedAt?: number | undefined }) {
  const blocked = useStudio((s) => s.busy !== null || s.worker !== 'ready' || s.run.status === 'running' || s.run.status === 'cancelling');
  return (
    <table className="backend-probe" data-testid="backend-probe" data-cached={probedAt ? 'yes' : 'no'}>
      <caption>
        Training probe, ms per step (lower is faster)
        {probedAt ? `, measured ${new Date(probedAt).toLocaleString()}` : ''}{' '}
        <button
          type="button"
          className="ghost small"
          data-testid="probe-remeasure"
          disabled={blocked}
          title="Time every backend again and pick the fastest (restarts the compute worker)"
          onClick={() => chooseBackend(null, true)}
        >
          Measure again
        </button>
      </caption>
      <tbody>
        {probes.map((p) => (
          <tr key={p.name} data-testid={`probe-${p.name}`} data-status={p.status} className={p.name === current ? 'probe-current' : undefined}>
            <th scope="row">{p.name}</th>
            <td data-testid="probe-ms">{figure(p)}</td>
            <td className="probe-detail">{p.detail ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Auto (the fastest in the probe) or one backend. Changing it starts a new worker on that backend
 * and loads the model and images again, so it waits while anything runs.
 */
export function BackendSelect() {
  const choice = useStudio((s) => s.backendChoice);
  const blocked = useStudio(
    (s) => s.busy !== null || s.worker === 'starting' || s.worker === 'restarting' || s.run.status === 'running' || s.run.status === 'cancelling',
  );
  const value = BACKENDS.find((b) => b === choice) ?? 'auto';
  return (
    <label className="backend-choice">
      <span className="label">Use</span>{' '}
      <select
        data-testid="backend-choice"
        value={value}
        disabled={blocked}
        title={blocked ? 'Wait until the current work (or run) has finished' : 'Restart the compute worker on another backend'}
        onChange={(e) => chooseBackend(e.target.value === 'auto' ? null : e.target.value)}
      >
        <option value="auto">Auto (fastest)</option>
        {BACKENDS.map((b) => (
          <option key={b} value={b}>
            {b}
          </option>
        ))}
      </select>
    </label>
  );
}
