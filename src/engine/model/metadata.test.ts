import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readModelFolder } from '../../node/files';
import { exportLayersModel } from '../export/export-model';
import { loadModelFromFiles } from './load';
import { summarizeModel } from './prunable';
import { filesOf, modelArtifacts, smallCnn } from './fixtures.test-helpers';

describe('preprocessing declared in model.json', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('the built-in demo declares symmetric, and the exported sparse model keeps it', async () => {
    const model = await loadModelFromFiles(await readModelFolder('public/demo/cifar10/model/model.json'));
    expect(summarizeModel(model, 'demo').suggestedPreprocess).toBe('symmetric');
    const out = JSON.parse((await exportLayersModel(model)).modelJson) as { userDefinedMetadata?: unknown };
    expect(out.userDefinedMetadata).toEqual({ preprocess: 'symmetric' });
    model.dispose();
  });

  it('a known value wins over the guess; an unknown one is ignored', async () => {
    const { json, weights } = await modelArtifacts(smallCnn());
    const load = async (meta: unknown) => loadModelFromFiles(filesOf({ ...json, userDefinedMetadata: meta }, weights, 'm'));
    const raw = await load({ preprocess: 'raw' });
    expect(summarizeModel(raw, 'm').suggestedPreprocess).toBe('raw');
    const odd = await load({ preprocess: 'sideways' });
    expect(summarizeModel(odd, 'm').suggestedPreprocess).toBe('unit');
    raw.dispose();
    odd.dispose();
  });
});
