/**
 * A model without BatchNorm: DST keeps the layer-statistics match (as channel scales) only where
 * it brings the one-shot model's validation KL below KEEP_MATCH_KL_SHARE of the unmatched one's,
 * says which with the two KLs it compared, and returns nothing further from the dense model.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunCheckpoint } from '../../core/checkpoint';
import type { ProgressEvent } from '../../core/events';
import { decodeNode } from '../../node/decode';
import { filesOf, modelArtifacts } from '../model/fixtures.test-helpers';
import { StudioSession } from '../session';
import { KEEP_MATCH_KL_SHARE } from './dst-stage';
import { images, opts } from './pipeline.test-helpers';

/** The helpers' small CNN without its BatchNorm layers (ReLU inside the convs). */
function bnFree(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1', kernelInitializer: init(1) }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'c2', kernelInitializer: init(2) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 4, name: 'fc', kernelInitializer: init(3) }),
    ],
  });
}

describe('DST start of a model without BatchNorm', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('keeps the match exactly when it halves the validation KL, says so with the numbers, and returns nothing further from the dense model', async () => {
    const s = new StudioSession({ decode: decodeNode, backend: 'cpu' });
    const { json, weights } = await modelArtifacts(bnFree());
    await s.loadModel(filesOf(json, weights, 'bnfree'));
    await s.loadImages(images(8));
    for (const sparsity of [0.6, 0.95]) {
      const events: ProgressEvent[] = [];
      const saved: RunCheckpoint[] = [];
      const r = await s.run({ ...opts, sparsity, matchStatistics: true }, (e) => events.push(e), new AbortController().signal, undefined, {
        onCheckpoint: (c) => void saved.push(structuredClone(c)),
        checkpointMs: 0,
      });
      const logs = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
      const said = logs.filter((m) => /^Training (keeps the layer-statistics match|starts from the dense weights under the masks, without the layer-statistics match)/.test(m));
      expect(said).toHaveLength(1);
      const [unmatched, matched] = [...said[0]!.matchAll(/from (\d+(?:\.\d+)?(?:e[+-]?\d+)?) to (\d+(?:\.\d+)?(?:e[+-]?\d+)?)/g)][0]!.slice(1).map(Number) as [number, number];
      // The matched KL is the one-shot model's, as reported (3 significant digits).
      expect(Math.abs(matched - r.report.oneShot.kl)).toBeLessThanOrEqual(5e-3 * r.report.oneShot.kl);
      const keep = said[0]!.startsWith('Training keeps');
      // The rule, on the numbers it printed (a case within their rounding of the edge is not decided here).
      const edge = KEEP_MATCH_KL_SHARE * unmatched;
      if (Math.abs(matched - edge) > 0.01 * edge) expect(keep).toBe(matched <= edge);
      else console.log('on the edge: not checked');
      console.log(`sparsity ${sparsity}: ${said[0]}`);
      // The trainer holds a channel scale for every conv and dense kernel exactly when the match is kept.
      const trained = saved.find((c) => c.train !== null)!.train!.trainer;
      expect(trained.scales?.map((sc) => sc !== null)).toEqual(trained.dense.map(() => keep));
      // Whichever start, what comes back is never further from the dense model than the matched one-shot model.
      expect(r.report.final.kl).toBeLessThanOrEqual(r.report.oneShot.kl);
    }
  }, 120_000);
});
