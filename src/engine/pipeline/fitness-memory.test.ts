import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperDefaults } from '../../core/options';
import { MOBILENET_DIR } from '../../node/assets.test-helpers';
import { readModelFolder } from '../../node/files';
import { randomImages } from '../../node/fitness.test-helpers';
import { loadAnyModel } from '../model/load';
import type { FitnessSetup } from './fitness';
import { searchWorkerBytes, workersThatFit } from './fitness-memory';
import { fitnessPool, type FromFitnessWorker, type ToFitnessWorker, type WorkerPort } from './fitness-pool';

const MB = 2 ** 20;

describe('search workers and free memory', () => {
  it('start only as many as half the free memory holds, and say so', () => {
    expect(workersThatFit(3, 300 * MB, 4000 * MB)).toEqual({ count: 3, note: null });
    const capped = workersThatFit(3, 300 * MB, 1300 * MB);
    expect(capped.count).toBe(2);
    expect(capped.note).toBe('Search workers: 2 of 3 started: each needs about 300 MB and 1300 MB of memory is free (they may use half).');
    expect(workersThatFit(1, 300 * MB, 500 * MB).count).toBe(0);
  });

  it('estimate what a MobileNet v1 0.25 worker holds at batch 64 near the 0.38 GB measured', async () => {
    const { model } = await loadAnyModel(await readModelFolder(join(MOBILENET_DIR, 'model.json')));
    const ds = randomImages(model, 100, 1000);
    const setup: FitnessSetup = { options: { ...paperDefaults, batchSize: 64 }, targets: [], calib: [...Array(80).keys()], images: [], dense: new Float32Array(0), labels: null, classes: 1000 };
    const bytes = searchWorkerBytes(model, ds, setup);
    expect(bytes).toBeGreaterThan(300 * MB);
    expect(bytes).toBeLessThan(450 * MB);
    // Half the batch, less to hold.
    expect(searchWorkerBytes(model, ds, { ...setup, options: { ...setup.options, batchSize: 32 } })).toBeLessThan(bytes - 50 * MB);
    model.dispose();
  }, 60_000);

  it('the pool starts the workers that fit, and none when none does', async () => {
    let spawned = 0;
    const spawn = (): WorkerPort => {
      spawned++;
      let onMessage: (m: FromFitnessWorker) => void = () => undefined;
      return {
        post: (m: ToFitnessWorker) => {
          if (m.type === 'init') queueMicrotask(() => onMessage({ type: 'ready' }));
        },
        listen: (handler) => void (onMessage = handler),
        terminate: () => undefined,
      };
    };
    const ds = { height: 1, width: 1, channels: 1, squeezeChannel: false, count: 0, pixels: new Uint8Array(0), labels: null, paths: [], classNames: null };
    const setup = { options: paperDefaults, targets: [], calib: [], images: [], dense: new Float32Array(0), labels: null, classes: 1 } as FitnessSetup;
    const two = await fitnessPool(3, spawn, [], () => 1300 * MB)(ds, setup, 300 * MB);
    expect(two.size).toBe(2);
    expect(spawned).toBe(2);
    expect(two.note).toMatch(/^Search workers: 2 of 3 started/);
    await two.close();
    const none = await fitnessPool(3, spawn, [], () => 100 * MB)(ds, setup, 300 * MB);
    expect(none.size).toBe(0);
    expect(spawned).toBe(2);
    // Without a free-memory reading the count stands.
    const all = await fitnessPool(3, spawn, [])(ds, setup, 300 * MB);
    expect(all.size).toBe(3);
    expect(all.note).toBeNull();
  });
});
