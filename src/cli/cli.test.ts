import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../core/events';
import { unpackMaskBits } from '../core/deploy/mask-bits';
import { MOBILENET_DIR, REPO_ROOT, sharedAsset } from '../node/assets.test-helpers';

const root = REPO_ROOT;
const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin/pts-studio.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 15 * 60_000 });

describe('pts-studio CLI', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('--help lists every option with its default', () => {
    const r = cli(['prune', '--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--model', '--images', '--sparsity', '--pattern', '--distribution', '--eval-images', '--calib-count', '--epochs', '--batch', '--lr', '--preprocess', '--seed', '--out']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('names the problem with bad settings and a missing model', () => {
    const images = join(REPO_ROOT, 'public/demo/cifar10/images');
    const bad = cli(['prune', '--model', join(MOBILENET_DIR, 'model.json'), '--images', images, '--pattern', '4:4']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/N < M/);
    const missing = cli(['prune', '--model', join(tmpdir(), 'nowhere/model.json'), '--images', images]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/model\.json/);
  });

  // Labelled photos of MobileNet's own classes, so that top-1 is measured.
  const imagenet = sharedAsset('imagenet-dev', 'the CLI pruning MobileNet on ImageNet samples (src/cli/cli.test.ts)');
  it.skipIf(!imagenet)('prunes the real MobileNet v1 0.25 at 50% and the exported zeros match the report', () => {
    const out = mkdtempSync(join(tmpdir(), 'pts-cli-'));
    const r = cli([
      'prune', '--model', join(MOBILENET_DIR, 'model.json'), '--images', imagenet!,
      '--sparsity', '0.5', '--population', '3', '--generations', '1', '--epochs', '1', '--batch', '8',
      '--calib-count', '8', '--held-out', '0.1', '--out', out, '--quiet',
    ]);
    expect(r.stderr).toContain('returned');
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    expect(report.layers).toHaveLength(28);
    expect(report.globalSparsity).toBeGreaterThanOrEqual(0.5 - 1e-3);
    expect(report.dense.top1).toBeDefined();
    expect(headline(report.final)).toBeGreaterThanOrEqual(headline(report.oneShot));
    expect(report.timings.msPerStep).toBeGreaterThan(0);
    // The exported files, read back the way tf.loadLayersModel reads them.
    const modelJson = JSON.parse(readFileSync(join(out, 'model/model.json'), 'utf8')) as {
      modelTopology: object;
      weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    };
    const data = readFileSync(join(out, 'model', modelJson.weightsManifest[0]!.paths[0]!));
    const specs = modelJson.weightsManifest[0]!.weights;
    const masks = JSON.parse(readFileSync(join(out, 'masks.json'), 'utf8')) as { layers: { name: string; offsetBytes: number; length: number; kept: number }[] };
    const maskBits = new Uint8Array(readFileSync(join(out, 'masks.bin')));
    const weights = tf.io.decodeWeights(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength), specs);
    for (const layer of report.layers) {
      const kernelName = Object.keys(weights).find((k) => k.startsWith(`${layer.name}/`) && /kernel/.test(k))!;
      const w = weights[kernelName]!.dataSync();
      const zeros = Array.from(w).filter((v) => v === 0).length;
      expect(zeros / layer.params).toBeCloseTo(layer.sparsity, 9);
      const m = masks.layers.find((l) => l.name === layer.name)!;
      const bits = unpackMaskBits(maskBits.subarray(m.offsetBytes), m.length);
      expect(bits.every((b, i) => b === (w[i] !== 0 ? 1 : 0))).toBe(true);
    }
    tf.dispose(Object.values(weights));
  });
});

function headline(m: { top1?: number; agreement: number }): number {
  return m.top1 ?? m.agreement;
}
