/** The teaching-mode pieces of the page: the header toggle, a note box, the phase sentences, the summary. */
import { PHASES } from '../../core/events';
import type { RunReport } from '../../core/events';
import type { ReturnVerdict } from '../../core/metrics/verdict';
import type { RunState } from '../run-state';
import { phaseNote } from './phase-notes';
import { runSummary } from './summary';
import { setTeaching, useTeaching } from './teaching-mode';

export function TeachingToggle() {
  const on = useTeaching();
  return (
    <button
      type="button"
      className={on ? 'toggle on teaching-toggle' : 'toggle teaching-toggle'}
      data-testid="teaching-toggle"
      aria-pressed={on}
      onClick={() => setTeaching(!on)}
      title="Explain each chart, phase and result in plain words, from this run's own numbers."
    >
      Teaching mode {on ? 'on' : 'off'}
    </button>
  );
}

/** A live explanation beside a chart; nothing when teaching mode is off or there is nothing to say yet. */
export function TeachingNote({ testid, text }: { testid: string; text: string | null }) {
  const on = useTeaching();
  if (!on || !text) return null;
  return (
    <p className="teaching-note" data-testid={testid}>
      {text}
    </p>
  );
}

/** One sentence per phase that has started, in the stepper's order. */
export function PhaseNotes({ run }: { run: RunState }) {
  const on = useTeaching();
  if (!on || run.status === 'idle') return null;
  const notes = PHASES.flatMap((p) => {
    const text = phaseNote(run, p);
    return text ? [{ p, text }] : [];
  });
  return (
    <ol className="teaching-note phase-notes" data-testid="teach-phases">
      {notes.map(({ p, text }) => (
        <li key={p} data-testid={`teach-phase-${p}`}>
          {text}
        </li>
      ))}
    </ol>
  );
}

/** "What just happened", beside the result, in the words of the verdict the result banner shows. */
export function RunSummary({ report, verdict }: { report: RunReport; verdict: ReturnVerdict }) {
  const on = useTeaching();
  if (!on) return null;
  return (
    <div className="teaching-note summary" data-testid="teach-summary">
      <b>What just happened</b>
      {runSummary(report, verdict).map((s) => (
        <p key={s}>{s}</p>
      ))}
    </div>
  );
}
