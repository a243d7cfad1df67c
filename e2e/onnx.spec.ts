/**
 * ONNX in, ONNX out in the browser: drop the real ResNet-56 (BatchNorm kept) and CIFAR-10 test
 * images, run a short 2:4 budget, download the sparse .onnx and check it in this process with
 * onnxruntime-node: zeros exactly where the masks say, 2:4 along input channels, and the same
 * logits as the studio's sparse TF.js model on the same images.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import { unzipSync, strFromU8 } from 'fflate';
import { PNG } from 'pngjs';
import type { RunReport } from '../src/core/events';
import { normalizeParams } from '../src/engine/data/preprocess';
import { checkSparseOnnx } from '../src/engine/onnx/check-export';
import { importOnnx } from '../src/engine/onnx/import-model';
import '../src/engine/onnx/layers';
import { maxAbsDiff, onnxAsset, ortLogits, toNchw } from '../src/engine/onnx/assets.test-helpers';
import { REPO, openStudio, setOption, waitIdle, watchConsole } from './helpers';
import { loadZippedModel } from './sparse-model';

const ONNX = path.join(REPO, 'assets', 'resnet-cifar10-onnx', 'resnet56-bn.onnx');
const DEMO = path.join(REPO, 'public', 'demo', 'cifar10', 'images');
const PER_CLASS = 4;

/** PER_CLASS demo images of each class, in class folders. */
function imageFolder(dir: string): { root: string; files: string[] } {
  const root = path.join(dir, 'cifar');
  const files: string[] = [];
  for (const c of fs.readdirSync(DEMO).sort()) {
    fs.mkdirSync(path.join(root, c), { recursive: true });
    for (const f of fs.readdirSync(path.join(DEMO, c)).sort().slice(0, PER_CLASS)) {
      fs.copyFileSync(path.join(DEMO, c, f), path.join(root, c, f));
      files.push(path.join(root, c, f));
    }
  }
  return { root, files };
}

/** The images as the studio feeds them: RGB, imagenet mean/std, NHWC. */
function preprocessed(files: string[]): Float32Array {
  const { scale, offset } = normalizeParams('imagenet', 3);
  const out = new Float32Array(files.length * 32 * 32 * 3);
  files.forEach((f, i) => {
    const png = PNG.sync.read(fs.readFileSync(f));
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) out[(i * 1024 + p) * 3 + c] = png.data[p * 4 + c]! * scale[c]! + offset[c]!;
  });
  return out;
}

async function download(page: Page, testid: string): Promise<Buffer> {
  const event = page.waitForEvent('download');
  await page.getByTestId(testid).click();
  return fs.readFileSync(await (await event).path());
}

test('ResNet-56 ONNX: drop, summary, 2:4 run, sparse .onnx checked in ONNX Runtime', async ({ page }) => {
  test.setTimeout(30 * 60_000);
  const problems = watchConsole(page);
  await openStudio(page, 'backend=wasm');
  await waitIdle(page);

  await page.getByTestId('model-files-input').setInputFiles(ONNX);
  await waitIdle(page);
  await expect(page.getByTestId('model-name')).toHaveText('resnet56-bn');
  await expect(page.getByTestId('model-format')).toHaveText(/^ONNX \(opset 13, pytorch/);
  await expect(page.getByTestId('model-onnx-ops')).toContainText('55 BatchNormalization');
  await expect(page.getByTestId('model-onnx-ops')).toContainText('1 Gemm');
  await expect(page.getByTestId('model-input-shape')).toHaveText('32 × 32 × 3');
  await expect(page.getByTestId('model-prunable')).toContainText('56 kernels');

  // torchvision preprocessing by default, and the user can change it.
  await setOption(page, 'preprocess', 'unit');
  await expect(page.getByTestId('opt-preprocess')).toHaveValue('unit');
  await setOption(page, 'preprocess', 'imagenet');

  const { root, files } = imageFolder(test.info().outputPath());
  await page.getByTestId('images-folder-input').setInputFiles(root);
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText(String(files.length));

  await page.getByTestId('preset-quick').click();
  await expect(page.getByTestId('opt-preprocess')).toHaveValue('imagenet');
  await setOption(page, 'pattern', 'nm');
  await setOption(page, 'nm-n', 2);
  await setOption(page, 'nm-m', 4);
  for (const [k, v] of Object.entries({ budgetMinutes: 0, epochs: 1, batchSize: 8, evalsPerRun: 1, bnBatches: 1, heldOut: 0.25 })) await setOption(page, k, v);
  await expect(page.getByTestId('validation-message')).toHaveCount(0);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 25 * 60_000 });
  await expect(page.getByTestId('deploy-onnx')).toBeVisible();

  const onnx = new Uint8Array(await download(page, 'download-onnx'));
  const report = JSON.parse((await download(page, 'download-report')).toString('utf8')) as RunReport;
  const masks = unzipSync(new Uint8Array(await download(page, 'download-masks')));
  const sparse = await loadZippedModel(new Uint8Array(await download(page, 'download-zip')));

  // Same images, studio's sparse TF.js model vs the sparse .onnx in ONNX Runtime.
  const x = preprocessed(files);
  const n = files.length;
  const ours = tf.tidy(() => (sparse.predict(tf.tensor4d(x, [n, 32, 32, 3])) as tf.Tensor).dataSync() as Float32Array);
  const ref = await ortLogits(onnx, toNchw(x, n, 32, 32, 3), [n, 3, 32, 32]);
  expect(maxAbsDiff(ours, ref)).toBeLessThanOrEqual(1e-4);

  // Zeros where masks.bin says, 2:4 along the ONNX kernels' input channels.
  await tf.setBackend('cpu');
  const { model, source } = await importOnnx([onnxAsset('resnet56-bn.onnx')]);
  model.dispose();
  const nmLayers = report.layers.filter((l) => l.pattern === '2:4').map((l) => l.name);
  const check = checkSparseOnnx({ onnx, bindings: source.bindings, masksJson: strFromU8(masks['masks.json']!), masks: masks['masks.bin']!.slice().buffer, nm: { n: 2, m: 4, layers: nmLayers } });
  expect(nmLayers.length).toBeGreaterThan(50);
  expect(check).toMatchObject({ layers: 56, mismatches: 0, nmViolations: 0 });
  expect(check.zeros).toBe(report.layers.reduce((s, l) => s + Math.round(l.sparsity * l.params), 0));
  sparse.dispose();
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(problems.filter((p) => p.startsWith('page error') || /Content Security Policy/i.test(p))).toEqual([]);
});

/**
 * PyTorch's eval-mode export folds BatchNorm into the convs: ResNet-32 has none to re-estimate.
 * The page says so, matches each layer's output statistics after pruning, and picks its rate from
 * the first gradient; the same run with the setting off shows what the match buys (the one-shot
 * KL to the dense model on the validation images).
 */
test('ResNet-32 ONNX with BatchNorm folded: layer statistics matched after pruning, the rate from the first gradient', async ({ page }) => {
  test.setTimeout(20 * 60_000);
  const problems = watchConsole(page);
  await openStudio(page, 'backend=wasm');
  await waitIdle(page);
  await page.getByTestId('model-files-input').setInputFiles(path.join(REPO, 'assets', 'resnet-cifar10-onnx', 'resnet32.onnx'));
  await waitIdle(page);
  await expect(page.getByTestId('model-name')).toHaveText('resnet32');
  await expect(page.getByTestId('model-batchnorm')).toHaveText(/^none \(folded or absent\): after pruning each layer is rescaled/);
  const { root, files } = imageFolder(test.info().outputPath());
  await page.getByTestId('images-folder-input').setInputFiles(root);
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText(String(files.length));
  await page.getByTestId('preset-quick').click();
  // Every calibration batch for the statistics (bnBatches 0): 2 batches of 8 images measured them too roughly to show much.
  for (const [k, v] of Object.entries({ sparsity: 0.9, distribution: 'uniform', budgetMinutes: 0, epochs: 1, batchSize: 8, evalsPerRun: 1, bnBatches: 0, heldOut: 0.25 })) await setOption(page, k, v);
  await expect(page.getByTestId('opt-matchStatistics')).toBeChecked();
  const run = async () => {
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 8 * 60_000 });
    return JSON.parse((await download(page, 'download-report')).toString('utf8')) as RunReport;
  };
  const matched = await run();
  expect(matched.settings.matchStatistics).toBe(true);
  await expect(page.getByTestId('run-log')).toContainText(/Automatic learning rate [0-9.e-]+: no BatchNorm, and the largest gradient on 8 calibration images is/);
  expect(matched.settings.lr).toBeGreaterThan(0);
  expect(matched.settings.lr).toBeLessThanOrEqual(0.003);
  await page.screenshot({ path: path.join(REPO, 'test-results', 'onnx-folded-bn.png'), fullPage: true });

  await page.getByTestId('opt-matchStatistics').uncheck();
  const plain = await run();
  expect(plain.settings.matchStatistics).toBe(false);
  // ResNet-32 at 90% uniform on 1,000 test images: KL 14.7 without, 4.4 with.
  console.log(`ResNet-32 90% uniform one-shot, validation KL: matched ${matched.oneShot.kl.toFixed(2)}, not matched ${plain.oneShot.kl.toFixed(2)}`);
  expect(matched.oneShot.kl).toBeLessThan(0.7 * plain.oneShot.kl);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(problems.filter((p) => p.startsWith('page error') || /Content Security Policy/i.test(p))).toEqual([]);
});
