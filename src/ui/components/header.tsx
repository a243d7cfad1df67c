import { useStudio } from '../store';
import { BackendSelect, ProbeTable } from './backend-choice';
import { TeachingToggle } from '../teaching/teaching-views';

/** Title, the one-line idea, and which backend computes: the probe's figures, why, and a choice of another. */
export function Header() {
  const backend = useStudio((s) => s.backend);
  const worker = useStudio((s) => s.worker);
  const status =
    worker === 'starting' ? 'starting…' : worker === 'restarting' ? 'restarting…' : worker === 'failed' ? 'unavailable' : null;
  return (
    <header className="header">
      <div className="brand">
        <h1>PTS Studio</h1>
        <p className="tagline">
          Post-training sparsity: zero out most weights of a trained network using only a small set of calibration images,
          then win the accuracy back. This studio runs UniPTS (searched layer-wise sparsity + dynamic sparse training)
          entirely in your browser; nothing is uploaded.
        </p>
        <TeachingToggle />
      </div>
      <div className="backend" data-testid="backend">
        <div>
          <span className="label">Backend</span>{' '}
          <strong data-testid="backend-name" className={`badge badge-${backend?.name ?? 'none'}`}>
            {status ?? backend?.name ?? '…'}
          </strong>{' '}
          <BackendSelect />
        </div>
        {backend?.adapter && (
          <div className="adapter" data-testid="backend-adapter" title="GPU adapter">
            {backend.adapter}
          </div>
        )}
        {backend?.probes && <ProbeTable probes={backend.probes} current={backend.name} probedAt={backend.probedAt} />}
        {backend && backend.notes.length > 0 && (
          <ul className="backend-notes" data-testid="backend-notes">
            {backend.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
      </div>
    </header>
  );
}
