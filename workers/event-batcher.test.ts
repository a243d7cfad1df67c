import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../src/core/events';
import { EventBatcher } from './event-batcher';

const progress = (done: number): ProgressEvent => ({ type: 'progress', phase: 'search', done, total: 10, etaSeconds: null });
const log = (message: string): ProgressEvent => ({ type: 'log', message });

describe('EventBatcher', () => {
  it('delivers events in order, in few batches, and flush waits for delivery', async () => {
    const batches: ProgressEvent[][] = [];
    const b = new EventBatcher((events) => void batches.push(events), 20);
    for (let i = 0; i < 50; i++) b.push(log(String(i)));
    expect(batches).toHaveLength(0);
    await b.flush();
    const all = batches.flat();
    expect(all.map((e) => (e.type === 'log' ? e.message : ''))).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    expect(batches.length).toBe(1);
  });

  it('keeps only the newest of consecutive progress ticks of a phase', async () => {
    const batches: ProgressEvent[][] = [];
    const b = new EventBatcher((events) => void batches.push(events), 20);
    b.push(progress(1));
    b.push(progress(2));
    b.push(log('x'));
    b.push(progress(3));
    await b.flush();
    expect(batches.flat()).toEqual([progress(2), log('x'), progress(3)]);
  });

  it('sends on a timer, and never has two deliveries in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: ProgressEvent[] = [];
    const b = new EventBatcher(async (events) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      seen.push(...events);
      inFlight--;
    }, 5);
    for (let i = 0; i < 5; i++) {
      b.push(log(String(i)));
      await new Promise((r) => setTimeout(r, 12));
    }
    await b.flush();
    expect(seen).toHaveLength(5);
    expect(maxInFlight).toBe(1);
  });

  it('survives a sink that throws', async () => {
    const b = new EventBatcher(() => {
      throw new Error('UI gone');
    }, 5);
    b.push(log('a'));
    await expect(b.flush()).resolves.toBeUndefined();
  });
});
