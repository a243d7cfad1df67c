import { describe, expect, it } from 'vitest';
import { AbortError, isAbortError, throwIfAborted } from './abort';

describe('abort', () => {
  it('throws an error named AbortError only once aborted', () => {
    expect(() => throwIfAborted(undefined)).not.toThrow();
    expect(() => throwIfAborted({ aborted: false })).not.toThrow();
    expect(() => throwIfAborted({ aborted: true })).toThrow(AbortError);
    try {
      throwIfAborted({ aborted: true });
    } catch (e) {
      expect((e as Error).name).toBe('AbortError');
      expect(isAbortError(e)).toBe(true);
    }
    expect(isAbortError(new Error('x'))).toBe(false);
  });
});
