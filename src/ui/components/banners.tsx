import { dismissError, setNotice, showsOn, useStudio } from '../store';

/** Errors of the page shown stay until dismissed or until what they were about goes well; the page keeps working underneath. */
export function ErrorBanner() {
  const view = useStudio((s) => s.view);
  const errors = useStudio((s) => s.errors).filter((b) => showsOn(b.topic, view));
  if (errors.length === 0) return null;
  return (
    <div className="banners" role="alert">
      {errors.map((b) => (
        <div className="banner banner-error" data-testid="error-banner" key={b.id}>
          <span className="banner-text">{b.message}</span>
          <button type="button" className="ghost" data-testid="error-dismiss" aria-label="Dismiss" onClick={() => dismissError(b.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** A friendly, non-error note (e.g. the demo is not installed) and the busy indicator. */
export function NoticeBar() {
  const notice = useStudio((s) => s.notice);
  const busy = useStudio((s) => s.busy);
  return (
    <>
      {notice && (
        <div className="banner banner-notice" data-testid="notice">
          <span className="banner-text">{notice}</span>
          <button type="button" className="ghost" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      {busy && (
        <div className="busy" data-testid="busy" aria-live="polite">
          <span className="spinner" /> {busy}
        </div>
      )}
    </>
  );
}
