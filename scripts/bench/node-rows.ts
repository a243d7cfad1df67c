/** The bench's Node rows (measure.ts stays free of Node's modules: the page's bench worker runs it too). */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { errorMessage } from '../../src/engine/errors';
import { readModelFolder } from '../../src/node/files';
import { benchBackend } from './measure';
import { BENCH_MODELS, benchModelFile, skippedRow, type BenchRow, type Budget } from './rows';

/**
 * The rows of every bench model in Node on the backend already set, read from the repository's
 * public/ folder and fixtures (benchModelFile): a model that fails, and every one after it, becomes a row that says why.
 */
export async function nodeRows(root: string, budget: Budget, log: (line: string) => void, backend: string = tf.getBackend()): Promise<BenchRow[]> {
  const done: BenchRow[] = [];
  try {
    await benchBackend('node', (m) => readModelFolder(join(root, benchModelFile(m))), budget, log, (r) => done.push(r), backend);
  } catch (e) {
    const why = `failed: ${errorMessage(e)}`;
    done.push(...BENCH_MODELS.filter((m) => !done.some((r) => r.model === m.name)).map((m) => skippedRow('node', backend, m, why)));
  }
  return done;
}
