import { openSavedRun, resumeSavedRun } from '../history/history-actions';
import { recipeLabel } from '../history/run-labels';
import { useStudio } from '../store';

/**
 * After a reload (or a crash), the newest saved run that stopped without finishing, with what
 * it takes to continue it. Hidden while a run shows or goes.
 */
export function ResumeBar() {
  const idle = useStudio((s) => s.run.status === 'idle');
  const newest = useStudio((s) => s.runs?.[0] ?? null);
  if (!idle || !newest || newest.status !== 'interrupted') return null;
  const step = newest.checkpointStep;
  return (
    <div className="banner banner-notice" data-testid="resume-bar">
      <span className="banner-text">
        The last run ({newest.modelName}, {recipeLabel(newest)}) was interrupted{newest.error ? `: ${newest.error}` : '.'}{' '}
        {step === null ? 'It had no checkpoint yet; resuming starts it again.' : `It can continue from its checkpoint at step ${step}.`}
      </span>
      <button type="button" className="primary" data-testid="resume-bar-resume" onClick={() => void resumeSavedRun(newest.id)}>
        Resume
      </button>
      <button type="button" className="secondary" onClick={() => void openSavedRun(newest.id)}>
        Open
      </button>
    </div>
  );
}
