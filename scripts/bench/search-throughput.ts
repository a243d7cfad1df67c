/**
 * The search's fitness evaluations side by side in Node (the CLI's default search workers beside
 * the main thread), as seconds per evaluation: the same work as one fitness evaluation of the
 * bench (BN re-estimation on 2 batches of 32 with their noise, 64 images scored), through the
 * engine's FitnessRunner, timed over two rounds after a warm-up round.
 */
import type * as tf from '@tensorflow/tfjs';
import { paperDefaults, type PruneOptions } from '../../src/core/options';
import type { NamedBytes } from '../../src/core/session-types';
import { loadAnyModel } from '../../src/engine/model/load';
import { FitnessRunner } from '../../src/engine/pipeline/fitness';
import { genome, prepare, randomImages } from '../../src/node/fitness.test-helpers';
import { defaultSearchWorkers, nodeFitnessWorkers } from '../../src/node/fitness-workers';

export interface SearchThroughput {
  /** Evaluations in flight at once: the main thread and its workers. */
  width: number;
  secondsPerEvaluation: number;
}

export async function searchThroughput(files: NamedBytes[], backend: string, workers = defaultSearchWorkers()): Promise<SearchThroughput> {
  const { model } = await loadAnyModel(files);
  const o: PruneOptions = { ...paperDefaults, batchSize: 32, bnBatches: 2, fitnessImages: 64, preprocess: 'symmetric' };
  const ds = randomImages(model as tf.LayersModel, 96, model.outputs[0]!.shape[1] as number);
  const { setup, here } = await prepare(model, ds, o);
  const pool = workers > 0 ? await nodeFitnessWorkers(files, workers, backend)(ds, setup, 0) : null;
  const runner = new FitnessRunner(here, setup, pool);
  try {
    const round = (seed: number) => Promise.all(Array.from({ length: runner.width }, (_, i) => runner.evaluate(genome(setup.targets.length, seed + i))));
    await round(100);
    const t0 = performance.now();
    await round(200);
    await round(300);
    return { width: runner.width, secondsPerEvaluation: (performance.now() - t0) / 1000 / (2 * runner.width) };
  } finally {
    await runner.close();
    model.dispose();
  }
}
