/**
 * Errors about what the user gave us (a model folder, an image set). The message is the text
 * the user reads: it names the file, the problem and what to do about it.
 */

/** A problem with a user-supplied file; `file` is the culprit's path, or null when none fits. */
export class InputError extends Error {
  constructor(
    /** Path of the offending file or folder (e.g. "model.json", "images/003"), or null. */
    readonly file: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** The message of anything thrown, for rephrasing third-party errors. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
