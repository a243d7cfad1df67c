/** Cancellation for long core loops without DOM types: any `{ aborted: boolean }` works (AbortSignal does). */

/** The error a cancelled core routine throws; `name` matches the DOM's AbortError. */
export class AbortError extends Error {
  override name = 'AbortError';
  constructor(message = 'Aborted') {
    super(message);
  }
}

/** Throws an AbortError when the signal (if any) has been aborted. */
export function throwIfAborted(signal?: { aborted: boolean }): void {
  if (signal?.aborted) throw new AbortError();
}

/** True for an AbortError from core or from the DOM. */
export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}
