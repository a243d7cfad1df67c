import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperDefaults, type PruneOptions } from '../core/options';
import type { NamedBytes } from '../core/session-types';
import { loadAnyModel } from '../engine/model/load';
import { evaluateFitness, FitnessRunner, releaseFitnessContext, type FitnessSetup, type FitnessWorkers } from '../engine/pipeline/fitness';
import { MOBILENET_DIR, REPO_ROOT } from './assets.test-helpers';
import { setupNodeBackend } from './backend';
import { readModelFolder } from './files';
import { nodeFitnessWorkers } from './fitness-workers';
import { genome, prepare, randomImages } from './fitness.test-helpers';

const cases: { name: string; dir: string; options: Partial<PruneOptions>; count: number }[] = [
  { name: 'the demo CNN', dir: join(REPO_ROOT, 'public/demo/cifar10/model'), options: { batchSize: 16, fitnessImages: 24, bnBatches: 2 }, count: 40 },
  { name: 'MobileNet v1 0.25', dir: MOBILENET_DIR, options: { batchSize: 8, fitnessImages: 8, bnBatches: 2, preprocess: 'symmetric' }, count: 16 },
];

describe('search workers (Node worker threads)', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const c of cases) {
    it(`compute the same fitness as this thread, bit for bit, on ${c.name}`, async () => {
      const files: NamedBytes[] = await readModelFolder(join(c.dir, 'model.json'));
      const { model } = await loadAnyModel(files);
      const o: PruneOptions = { ...paperDefaults, ...c.options };
      const ds = randomImages(model, c.count, model.outputs[0]!.shape[1] as number);
      const { setup, here } = await prepare(model, ds, o);
      const workers = await nodeFitnessWorkers(files, 1, 'wasm')(ds, setup, 0);
      try {
        expect(workers.size).toBe(1);
        const genomes = [1, 2, 3].map((s) => genome(setup.targets.length, s));
        const local: number[] = [];
        for (const g of genomes) local.push(await evaluateFitness(here, setup, g));
        const remote = await Promise.all(genomes.map((g) => workers.evaluate(g)));
        expect(remote).toEqual(local);
        // Different genomes, different fitness: the comparison above is not between constants.
        expect(new Set(local).size).toBeGreaterThan(1);
        // Side by side through the runner: the same values, whichever slot computed each.
        const runner = new FitnessRunner(here, setup, workers);
        expect(runner.width).toBe(2);
        expect(await Promise.all(genomes.map((g) => runner.evaluate(g)))).toEqual(local);
      } finally {
        await workers.close();
        releaseFitnessContext(here);
        model.dispose();
      }
    }, 180_000);
  }

  it('refuse to start on a model whose weights are missing, naming the file', async () => {
    const files = (await readModelFolder(join(REPO_ROOT, 'public/demo/cifar10/model/model.json'))).filter((f) => !f.path.endsWith('.bin'));
    const { model } = await loadAnyModel(await readModelFolder(join(REPO_ROOT, 'public/demo/cifar10/model/model.json')));
    const ds = randomImages(model, 4, 10);
    model.dispose();
    const setup: FitnessSetup = { options: paperDefaults, targets: [], calib: [0, 1, 2, 3], images: [0], dense: new Float32Array(10), labels: null, classes: 10 };
    await expect(nodeFitnessWorkers(files, 1, 'wasm')(ds, setup, 0)).rejects.toThrow(/search worker 1: .*\.bin/);
  }, 60_000);

  it('a failing worker stops the workers and the evaluation runs on this thread', async () => {
    const files = await readModelFolder(join(REPO_ROOT, 'public/demo/cifar10/model/model.json'));
    const { model } = await loadAnyModel(files);
    const o: PruneOptions = { ...paperDefaults, batchSize: 16, fitnessImages: 16, bnBatches: 1 };
    const ds = randomImages(model, 32, 10);
    const { setup, here } = await prepare(model, ds, o);
    const targets = setup.targets;
    let closed = false;
    const broken: FitnessWorkers = { size: 1, evaluate: () => Promise.reject(new Error('search worker 1 exited (code 134)')), close: async () => void (closed = true) };
    const heard: string[] = [];
    const runner = new FitnessRunner(here, setup, broken, (m) => heard.push(m));
    const g = [genome(targets.length, 1), genome(targets.length, 2)];
    try {
      const both = await Promise.all(g.map((x) => runner.evaluate(x)));
      const alone = [await evaluateFitness(here, setup, g[0]!), await evaluateFitness(here, setup, g[1]!)];
      expect(both).toEqual(alone);
      expect(heard).toEqual(['search worker 1 exited (code 134)']);
      expect(closed).toBe(true);
      expect(runner.width).toBe(1);
    } finally {
      await runner.close();
      model.dispose();
    }
  }, 60_000);
});
