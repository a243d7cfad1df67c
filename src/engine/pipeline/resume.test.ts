import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointBytes, type RunCheckpoint } from '../../core/checkpoint';
import type { ProgressEvent } from '../../core/events';
import { opts, session } from './pipeline.test-helpers';

/** A deep copy, as IndexedDB would give it back. */
const stored = (c: RunCheckpoint): RunCheckpoint => structuredClone(c);

describe('checkpoints and resume', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('a run resumed from a mid-training checkpoint ends exactly like the uninterrupted run', async () => {
    const s = await session();
    const o = { ...opts, epochs: 3, evalsPerRun: 3 };
    const saved: RunCheckpoint[] = [];
    const full = await s.run(o, () => {}, new AbortController().signal, undefined, {
      onCheckpoint: (c) => void saved.push(stored(c)),
      checkpointMs: 0,
    });
    // One after the one-shot phase, then one after every step but the last.
    const steps = full.report.layers.length > 0 ? saved.map((c) => c.train?.step ?? 0) : [];
    expect(steps[0]).toBe(0);
    expect(saved[0]!.train).toBeNull();
    const total = o.epochs * Math.ceil(full.report.calibrationImages / o.batchSize);
    expect(steps).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(checkpointBytes(saved[3]!)).toBeGreaterThan(0);

    const before = tf.memory().numTensors;
    // Mid-epoch, after the first held-out evaluation (a best checkpoint is carried).
    const mid = saved.find((c) => c.train && c.train.step > total / 2 && c.best !== null) ?? saved[Math.floor(total / 2)]!;
    const events: ProgressEvent[] = [];
    const resumed = await s.run(o, (e) => events.push(e), new AbortController().signal, undefined, { resume: mid });
    expect(tf.memory().numTensors).toBe(before);
    const steps2 = events.flatMap((e) => (e.type === 'train-step' ? [e.step] : []));
    expect(steps2[0]).toBe(mid.train!.step + 1);
    expect(steps2[steps2.length - 1]).toBe(total);
    expect(events.some((e) => e.type === 'search-generation')).toBe(false);
    expect(resumed.report.final).toEqual(full.report.final);
    expect(resumed.report.bestStep).toBe(full.report.bestStep);
    expect(resumed.report.oneShot).toEqual(full.report.oneShot);
    expect(resumed.report.layers.map((l) => l.sparsity)).toEqual(full.report.layers.map((l) => l.sparsity));
    expect(new Uint8Array(resumed.weights)).toEqual(new Uint8Array(full.weights));

    // From the checkpoint before any training step: also the same result.
    const fromOneShot = await s.run(o, () => {}, new AbortController().signal, undefined, { resume: saved[0]! });
    expect(new Uint8Array(fromOneShot.weights)).toEqual(new Uint8Array(full.weights));
    s.dispose();
  });

  it('refuses a checkpoint of other settings or other images, and says which', async () => {
    const s = await session();
    const saved: RunCheckpoint[] = [];
    await s.run({ ...opts, epochs: 1 }, () => {}, new AbortController().signal, undefined, { onCheckpoint: (c) => void saved.push(stored(c)) });
    const c = saved[0]!;
    const err = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e as Error).message);
    expect(await err(s.run({ ...opts, epochs: 2 }, () => {}, new AbortController().signal, undefined, { resume: c }))).toMatch(/keeps its settings/);
    expect(await err(s.run({ ...opts, epochs: 1 }, () => {}, new AbortController().signal, undefined, { resume: { ...c, imagesKey: 'x' } }))).toMatch(/another image set/);
    expect(await err(s.run({ ...opts, epochs: 1 }, () => {}, new AbortController().signal, undefined, { resume: { ...c, modelKey: 'x' } }))).toMatch(/another model/);
    s.dispose();
  });
});
