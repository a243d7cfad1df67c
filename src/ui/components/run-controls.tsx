import { cancelRun, startRun } from '../actions';
import { useStudio, type StudioState } from '../store';

/** Why Run is disabled, in words, or null when it can start. */
function blocker(s: StudioState, valid: boolean): string | null {
  if (s.run.status === 'running') return null;
  if (s.run.status === 'cancelling') return 'Stopping the run…';
  if (s.worker !== 'ready') return 'Waiting for the compute worker…';
  if (!s.model) return 'Load a model first.';
  if (!s.dataset) return 'Load calibration images.';
  if (s.dataset.count === 0) return 'None of the images could be used.';
  if (s.busy) return s.busy;
  if (!valid) return 'Fix the settings above.';
  return null;
}

const STATUS_TEXT: Record<string, string> = {
  idle: 'Ready.',
  running: 'Running…',
  cancelling: 'Cancelling…',
  done: 'Finished.',
  failed: 'Failed.',
  cancelled: 'Cancelled.',
};

export function RunControls({ valid }: { valid: boolean }) {
  const status = useStudio((s) => s.run.status);
  const why = useStudio((s) => blocker(s, valid));
  const running = status === 'running' || status === 'cancelling';
  return (
    <div className="run-controls">
      <button type="button" className="primary" data-testid="run-button" disabled={running || why !== null} onClick={startRun}>
        {status === 'done' || status === 'cancelled' || status === 'failed' ? 'Run again' : 'Run'}
      </button>
      <button type="button" className="secondary" data-testid="cancel-button" disabled={status !== 'running'} onClick={cancelRun}>
        Cancel
      </button>
      <span className="run-status" data-testid="run-status" data-status={status}>
        {why ?? STATUS_TEXT[status]}
      </span>
    </div>
  );
}
