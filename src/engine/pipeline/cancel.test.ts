import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAbortError } from '../../core/abort';
import { PHASES } from '../../core/events';
import { opts, session } from './pipeline.test-helpers';

describe('cancel at any phase', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('stops in every phase, frees what the run held, and the next run gives the same result', async () => {
    const s = await session();
    const o = { ...opts, epochs: 1 };
    const reference = await s.run(o, () => {}, new AbortController().signal);
    const before = tf.memory().numTensors;
    for (const phase of PHASES) {
      const ctrl = new AbortController();
      const err = await s
        .run(o, (e) => {
          if (e.type === 'phase' && e.phase === phase) ctrl.abort();
        }, ctrl.signal)
        .then(() => null, (e: unknown) => e);
      expect(isAbortError(err), `cancel during ${phase}`).toBe(true);
      expect(tf.memory().numTensors, `tensors after a cancel during ${phase}`).toBe(before);
    }
    const again = await s.run(o, () => {}, new AbortController().signal);
    expect(again.report.final).toEqual(reference.report.final);
    expect(new Uint8Array(again.weights)).toEqual(new Uint8Array(reference.weights));
    s.dispose();
  });
});
