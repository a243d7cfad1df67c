import { dismissError, setNotice, useStudio } from '../store';

/** Errors stay until dismissed; the page keeps working underneath. */
export function ErrorBanner() {
  const errors = useStudio((s) => s.errors);
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
