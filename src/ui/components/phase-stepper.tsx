import { useEffect, useState } from 'react';
import { PHASES, type Phase } from '../../core/events';
import { duration } from '../format';
import type { RunState } from '../run-state';
import { useStudio } from '../store';

const PHASE_LABELS: Record<Phase, string> = {
  load: 'Load',
  'dense-eval': 'Dense eval',
  search: 'Search',
  'one-shot': 'One-shot',
  dst: 'Sparse training',
  'final-eval': 'Final eval',
  export: 'Export',
};

type StepState = 'pending' | 'active' | 'done' | 'skipped' | 'failed' | 'cancelled';

function stepState(run: RunState, phase: Phase): StepState {
  const seen = run.phasesSeen.includes(phase);
  const current = run.phase === phase;
  if (run.status === 'done') return seen ? 'done' : 'skipped';
  if (current) return run.status === 'running' || run.status === 'cancelling' ? 'active' : run.status === 'cancelled' ? 'cancelled' : 'failed';
  return seen ? 'done' : 'pending';
}

/** How a run that stopped early ended, in words; null while running or when finished. */
function endText(run: RunState): string | null {
  const where = run.phase ? ` during ${PHASE_LABELS[run.phase].toLowerCase()}` : '';
  if (run.status === 'cancelled') return `Cancelled${where}.`;
  if (run.status === 'failed') return `Failed${where}${run.error ? `: ${run.error}` : '.'}`;
  return null;
}

/** Seconds since `since`, ticking once a second while `live`. */
function useElapsed(since: number | null, until: number | null, live: boolean): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [live]);
  return since === null ? null : ((until ?? now) - since) / 1000;
}

/** load → dense eval → search → one-shot → training → final eval → export, with the current phase's progress. */
export function PhaseStepper() {
  const run = useStudio((s) => s.run);
  const live = run.status === 'running' || run.status === 'cancelling';
  const elapsed = useElapsed(run.startedAt, run.endedAt, live);
  const p = run.progress;
  const fraction = p && p.total > 0 ? Math.min(1, p.done / p.total) : null;
  return (
    <div className="stepper-wrap">
      <ol className="stepper" data-testid="phase-stepper">
        {PHASES.map((phase) => {
          const state = stepState(run, phase);
          return (
            <li key={phase} className={`step step-${state}`} data-testid={`phase-${phase}`} data-state={state}>
              <span className="dot" />
              {PHASE_LABELS[phase]}
            </li>
          );
        })}
      </ol>
      {run.status !== 'idle' && (
        <div className="phase-detail">
          <div className="phase-message" data-testid="phase-message">
            {endText(run) ?? (
              <>
                {run.phase ? `${PHASE_LABELS[run.phase]}: ` : ''}
                {run.phaseMessage || 'starting…'}
              </>
            )}
          </div>
          <div className="progress" data-testid="phase-progress" data-fraction={fraction ?? ''}>
            <div className={`bar${fraction === null && live ? ' indeterminate' : ''}`} style={{ width: `${(fraction ?? (live ? 1 : 0)) * 100}%` }} />
          </div>
          <div className="phase-numbers muted small">
            {p && (
              <span>
                {p.done} / {p.total}
              </span>
            )}
            {live && p?.etaSeconds !== null && p?.etaSeconds !== undefined && (
              <span data-testid="phase-eta">about {duration(p.etaSeconds)} left in this phase</span>
            )}
            <span data-testid="run-elapsed">elapsed {duration(elapsed)}</span>
          </div>
        </div>
      )}
    </div>
  );
}
