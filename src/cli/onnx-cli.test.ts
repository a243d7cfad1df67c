import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../core/events';
import { checkSparseOnnx } from '../engine/onnx/check-export';
import { importOnnx } from '../engine/onnx/import-model';
import { ortLogits } from '../engine/onnx/assets.test-helpers';
import { tinyOnnx } from '../engine/onnx/fixtures.test-helpers';
import { REPO_ROOT } from '../node/assets.test-helpers';

const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'bin/pts-studio.mjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10 * 60_000 });

describe('pts-studio CLI on an ONNX model', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('--model x.onnx (with external data beside it) writes model.onnx that ONNX Runtime runs, zeros where masks.bin says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pts-onnx-cli-'));
    const { onnx, external } = tinyOnnx({ batchNorm: true, externalWeights: 'tiny.weights' });
    writeFileSync(join(dir, 'tiny.onnx'), onnx);
    writeFileSync(join(dir, 'tiny.weights'), external!);
    // 5 classes of 8x8 images: a colour per class plus noise.
    for (let c = 0; c < 5; c++) {
      mkdirSync(join(dir, 'images', String(c)), { recursive: true });
      for (let k = 0; k < 6; k++) {
        const png = new PNG({ width: 8, height: 8 });
        for (let p = 0; p < 64; p++) png.data.set([(c * 50 + p * 7 + k * 13) % 256, (c * 90 + k * 31) % 256, (p * 11) % 256, 255], p * 4);
        writeFileSync(join(dir, 'images', String(c), `${k}.png`), PNG.sync.write(png));
      }
    }
    const out = join(dir, 'out');
    const r = cli(['prune', '--model', join(dir, 'tiny.onnx'), '--images', join(dir, 'images'), '--sparsity', '0.5', '--distribution', 'uniform', '--preset', 'paper', '--epochs', '1', '--batch', '8', '--backend', 'cpu', '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/model tiny: input 8x8x3, 5 classes, 2 prunable kernels/);
    expect(r.stderr).toContain('model.onnx');
    const sparse = new Uint8Array(readFileSync(join(out, 'model.onnx')));
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    expect(report.settings.preprocess).toBe('imagenet');
    expect(report.deployment!.onnx!.denseBytes).toBe(onnx.byteLength + external!.byteLength);
    const { model, source } = await importOnnx([{ path: 'tiny.onnx', bytes: onnx.slice().buffer }, { path: 'tiny.weights', bytes: external!.slice().buffer }]);
    model.dispose();
    const check = checkSparseOnnx({ onnx: sparse, bindings: source.bindings, masksJson: readFileSync(join(out, 'masks.json'), 'utf8'), masks: new Uint8Array(readFileSync(join(out, 'masks.bin'))).buffer });
    expect(check).toMatchObject({ layers: 2, mismatches: 0 });
    expect(check.zeros).toBe(Math.round(0.5 * 108) + Math.round(0.5 * 20));
    // Self-contained: ONNX Runtime runs it from bytes, without the external file.
    const y = await ortLogits(sparse, new Float32Array(2 * 3 * 64).fill(0.3), [2, 3, 8, 8]);
    expect(y.length).toBe(10);
    expect(Array.from(y).every(Number.isFinite)).toBe(true);
  });
});
