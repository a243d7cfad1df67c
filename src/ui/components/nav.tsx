import { setView, useStudio } from '../store';

/** Studio / Runs switch; the hash keeps the page on reload (#/runs). */
export function Nav() {
  const view = useStudio((s) => s.view);
  const count = useStudio((s) => s.runs?.length ?? null);
  return (
    <nav className="nav" aria-label="Pages">
      <a href="#/" data-testid="nav-studio" aria-current={view === 'studio' ? 'page' : undefined} onClick={() => setView('studio')}>
        Studio
      </a>
      <a href="#/runs" data-testid="nav-runs" aria-current={view === 'runs' ? 'page' : undefined} onClick={() => setView('runs')}>
        Runs{count !== null ? ` (${count})` : ''}
      </a>
    </nav>
  );
}
