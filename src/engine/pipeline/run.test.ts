import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAbortError } from '../../core/abort';
import type { ProgressEvent } from '../../core/events';
import { unpackNm } from '../../core/deploy/packed';
import { opts, session } from './pipeline.test-helpers';

describe('runPipeline on a small CNN', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('searches, trains, never returns worse than one-shot, and exports exact zeros', async () => {
    const s = await session();
    const events: ProgressEvent[] = [];
    const before = tf.memory().numTensors;
    const r = await s.run(opts, (e) => events.push(e), new AbortController().signal);
    expect(tf.memory().numTensors).toBe(before);
    const phases = events.filter((e) => e.type === 'phase').map((e) => (e as { phase: string }).phase);
    expect(phases).toEqual(['load', 'dense-eval', 'search', 'one-shot', 'dst', 'final-eval', 'export']);
    expect(events.filter((e) => e.type === 'search-generation')).toHaveLength(opts.generations + 1);
    const rep = r.report;
    expect(rep.calibrationImages + rep.heldOutImages).toBe(32);
    expect(rep.heldOutImages).toBeGreaterThanOrEqual(4);
    expect(events.filter((e) => e.type === 'train-step')).toHaveLength(opts.epochs * Math.ceil(rep.calibrationImages / opts.batchSize));
    expect(events.some((e) => e.type === 'churn')).toBe(true);
    expect(rep.dense.agreement).toBe(1);
    const headline = (m: { top1?: number }) => m.top1!;
    // Never worse than one-shot by the rule checkpoints are kept by: the validation KL to the dense model.
    expect(rep.final.kl).toBeLessThanOrEqual(rep.oneShot.kl);
    expect(rep.globalSparsity).toBeGreaterThanOrEqual(0.6 - 1e-3);
    expect(rep.globalSparsity).toBeLessThan(0.6 + 0.02);
    // The exported model reloads and its kernels hold exactly the reported zeros.
    const reloaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: (JSON.parse(r.modelJson) as { modelTopology: object }).modelTopology,
        weightSpecs: (JSON.parse(r.modelJson) as { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] }).weightsManifest[0]!.weights,
        weightData: r.weights,
      }),
    );
    for (const layer of rep.layers) {
      const w = reloaded.getLayer(layer.name).getWeights()[0]!.dataSync();
      const zeros = Array.from(w).filter((v) => v === 0).length;
      expect(zeros / layer.params).toBeCloseTo(layer.sparsity, 6);
      expect(zeros).toBeGreaterThanOrEqual(Math.round(layer.targetSparsity * layer.params) - 1);
    }
    reloaded.dispose();
    // A second run in the same session starts from the dense weights and gives the same result.
    const again = await s.run(opts, () => {}, new AbortController().signal);
    expect(again.report.oneShot).toEqual(rep.oneShot);
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });

  it('runs 2:4 end to end: N:M where the input channels fit, a valid check, a packed file that reads back', async () => {
    const s = await session();
    const r = await s.run({ ...opts, pattern: { kind: 'nm', n: 2, m: 4 }, epochs: 1 }, () => {}, new AbortController().signal);
    const byName = Object.fromEntries(r.report.layers.map((l) => [l.name, l]));
    // c1 sees 3 input channels (not a multiple of 4): unstructured at 50%, with the reason.
    expect(byName.c1!.pattern).toBe('unstructured');
    expect(byName.c1!.patternNote).toContain('not a multiple of 4');
    expect(byName.c2!.pattern).toBe('2:4');
    expect(byName.fc!.pattern).toBe('2:4');
    expect(byName.c2!.sparsity).toBeCloseTo(0.5, 6);
    const dep = r.report.deployment!;
    expect(dep.nmValid).toBe(true);
    expect(dep.layers.find((l) => l.name === 'c2')!.nmMessage).toMatch(/2:4 holds/);
    expect(dep.latency!.dense.runs).toBeGreaterThan(0);
    const packed = unpackNm(new Uint8Array(r.nmPacked!));
    expect(packed.map((l) => l.name)).toEqual(['c2', 'fc']);
    const weights = new Map(packed.map((l) => [l.name, l.weights]));
    const reloaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: (JSON.parse(r.modelJson) as { modelTopology: object }).modelTopology,
        weightSpecs: (JSON.parse(r.modelJson) as { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] }).weightsManifest[0]!.weights,
        weightData: r.weights,
      }),
    );
    for (const name of ['c2', 'fc']) {
      expect(Array.from(weights.get(name)!)).toEqual(Array.from(reloaded.getLayer(name).getWeights()[0]!.dataSync()));
    }
    reloaded.dispose();
    s.dispose();
  });

  it('cancels within a step and leaves the dense model in place', async () => {
    const s = await session();
    const ctrl = new AbortController();
    const err = await s
      .run({ ...opts, distribution: 'erk' }, (e) => {
        if (e.type === 'train-step') ctrl.abort();
      }, ctrl.signal)
      .catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
    const r = await s.run({ ...opts, distribution: 'erk', epochs: 0 }, () => {}, new AbortController().signal);
    expect(r.report.dense.agreement).toBe(1);
    expect(r.report.returned).toBe('one-shot');
    s.dispose();
  });
});
