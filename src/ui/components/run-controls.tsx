import { cancelRun, startRun } from '../actions';
import { resumeSavedRun } from '../history/history-actions';
import { useStudio, type StudioState } from '../store';
import { WorkerMemoryNote } from './worker-memory';

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
  interrupted: 'Interrupted.',
};

export function RunControls({ valid }: { valid: boolean }) {
  const status = useStudio((s) => s.run.status);
  const why = useStudio((s) => blocker(s, valid));
  const running = status === 'running' || status === 'cancelling';
  const id = useStudio((s) => s.run.id);
  const step = useStudio((s) => s.run.checkpointStep);
  const ready = useStudio((s) => s.worker === 'ready' && s.busy === null);
  const stopped = status === 'interrupted' || status === 'cancelled' || status === 'failed';
  return (
    <div className="run-controls">
      <button type="button" className="primary" data-testid="run-button" disabled={running || why !== null} onClick={startRun}>
        {status === 'idle' ? 'Run' : 'Run again'}
      </button>
      {stopped && id && step !== null && (
        <button
          type="button"
          className="primary"
          data-testid="resume-button"
          disabled={!ready}
          title="Continue this run from its last checkpoint, with its settings"
          onClick={() => void resumeSavedRun(id)}
        >
          Resume from step {step}
        </button>
      )}
      <button type="button" className="secondary" data-testid="cancel-button" disabled={status !== 'running'} onClick={cancelRun}>
        Cancel
      </button>
      <span className="run-status" data-testid="run-status" data-status={status}>
        {why ?? STATUS_TEXT[status]}
      </span>
      {running && step !== null && (
        <span className="muted small" data-testid="checkpoint-step" data-step={step} title="A reload, a crash or a lost GPU resumes from here">
          Saved at step {step}
        </span>
      )}
      {!running && <WorkerMemoryNote />}
      <PlanNote />
    </div>
  );
}

/** The time budget's plan, said before the search starts, and how the run keeps to it. */
function PlanNote() {
  const plan = useStudio((s) => s.run.plan);
  const startedAt = useStudio((s) => s.run.startedAt);
  const endedAt = useStudio((s) => s.run.endedAt);
  if (!plan) return null;
  const minutes = (sec: number) => (sec < 90 ? `${Math.round(sec)} s` : `${(sec / 60).toFixed(1)} min`);
  return (
    <p className="muted small plan-note" data-testid="run-plan">
      Plan for the {minutes(plan.budgetSeconds)} budget: {plan.text}.
      {endedAt && startedAt ? ` Took ${minutes((endedAt - startedAt) / 1000)}.` : ''}
    </p>
  );
}
