/**
 * A Teachable Machine export, round trip: the real export (12 waste classes) replaces the demo,
 * whose CIFAR-10 labels are dropped with a word; the 100 ImageNet sample photos (folders
 * 000..990, not classes of this model) are refused with a one-click "unlabelled"; the run
 * finishes, the sparse model downloads as a Teachable Machine folder, loads back into the
 * studio with its labels, and tf.loadLayersModel reads it and predicts like the studio's sparse model.
 */
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test, type Page } from '@playwright/test';
import type { RunReport } from '../src/core/events';
import { REPO, openStudio, setOption, sharedAsset, waitIdle } from './helpers';
import { loadZippedModel } from './sparse-model';
import { predictWithTeachableLibrary, teachableLibraryInstalled } from './teachable-library';

const TM = path.join(REPO, 'src/engine/export/fixtures/teachable-machine-waste');
const PHOTOS = sharedAsset('imagenet-dev', 'the Teachable Machine round trip with ImageNet photos (e2e/teachable.spec.ts)');

async function download(page: Page, testid: string): Promise<Buffer> {
  const event = page.waitForEvent('download');
  await page.getByTestId(testid).click();
  return fs.readFileSync(await (await event).path());
}

/** Serves a folder's files over HTTP so tf.loadLayersModel reads it as a web page would. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const file = path.join(dir, path.basename(req.url ?? ''));
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.json` };
}

test('Teachable Machine export + ImageNet photos as unlabelled: run, export a Teachable Machine folder, load it back', async ({ page }) => {
  test.skip(!PHOTOS, 'needs shared/assets/imagenet-dev (ImageNet sample photos, whose licence does not allow shipping them)');
  test.setTimeout(25 * 60_000);
  await openStudio(page);
  await waitIdle(page);
  await expect(page.getByTestId('dataset-labelled')).toHaveText('yes, 10 classes');

  // The export replaces the demo: labels from metadata.json, the demo's CIFAR-10 labels dropped with a word.
  await page.getByTestId('model-folder-input').setInputFiles(TM);
  await waitIdle(page);
  await expect(page.getByTestId('model-name')).toHaveText('teachable-machine-waste');
  await expect(page.getByTestId('model-classes')).toHaveText('12');
  await expect(page.getByTestId('preprocess-select')).toHaveValue('symmetric');
  await expect(page.getByTestId('notice')).toContainText("teachable-machine-waste's classes are Battery, biological, brown-glass");
  await expect(page.getByTestId('notice')).toContainText('now unlabelled');
  await expect(page.getByTestId('dataset-labelled')).toHaveText('none');

  // Folders 000..990 are not classes of a 12-class model: refused, naming the folder, with the way out offered.
  await page.getByTestId('images-folder-input').setInputFiles(PHOTOS!);
  await waitIdle(page);
  await expect(page.getByTestId('error-banner')).toContainText('imagenet-dev/020: folder name "020"');
  await expect(page.getByTestId('error-banner')).toContainText('or load the images as unlabelled');
  await expect(page.getByTestId('unlabelled-offer')).toContainText('not classes of teachable-machine-waste');
  fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
  await page.getByTestId('inputs-panel').screenshot({ path: path.join(REPO, 'test-results', 'teachable-unlabelled-offer.png') });
  await page.getByTestId('load-unlabelled').click();
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText('100');
  await expect(page.getByTestId('dataset-labelled')).toHaveText('none');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await expect(page.getByTestId('unlabelled-offer')).toHaveCount(0);

  // Batch 8 and a few BatchNorm batches: a 224-pixel MobileNetV2 at the quick preset's batch 32 ran out of wasm memory here.
  for (const [k, v] of Object.entries({ sparsity: 0.5, epochs: 1, generations: 1, population: 3, parents: 2, batchSize: 8, fitnessImages: 32, bnBatches: 2 })) await setOption(page, k, v);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 20 * 60_000 });
  // Unlabelled: the summary speaks of agreement, not accuracy.
  await expect(page.getByTestId('teach-summary')).toContainText('agreement with the dense model on 20 validation images');

  const out = test.info().outputPath('teachable-folder');
  fs.mkdirSync(out, { recursive: true });
  const folder = unzipSync(await download(page, 'download-teachable'));
  expect(Object.keys(folder).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
  for (const [name, bytes] of Object.entries(folder)) fs.writeFileSync(path.join(out, name), bytes);
  const meta = JSON.parse(strFromU8(folder['metadata.json']!)) as Record<string, unknown>;
  const source = JSON.parse(fs.readFileSync(path.join(TM, 'metadata.json'), 'utf8')) as Record<string, unknown>;
  expect(Object.keys(meta).sort()).toEqual(Object.keys(source).sort());
  expect(meta.labels).toEqual(source.labels);
  expect(meta.imageSize).toBe(224);
  expect(meta.tfjsVersion).toBe(tf.version.tfjs);
  await page.screenshot({ path: path.join(REPO, 'test-results', 'teachable-run.png'), fullPage: true });

  // tf.loadLayersModel reads the folder over HTTP and predicts like the studio's sparse model.
  const sparse = await loadZippedModel(await download(page, 'download-zip'));
  const { server, url } = await serve(out);
  try {
    const reloaded = await tf.loadLayersModel(url);
    const x = tf.randomUniform([4, 224, 224, 3], -1, 1, 'float32', 3);
    const a = (sparse.predict(x) as tf.Tensor).arraySync() as number[][];
    const b = (reloaded.predict(x) as tf.Tensor).arraySync() as number[][];
    a.forEach((row, i) => row.forEach((v, k) => expect(Math.abs(v - b[i]![k]!)).toBeLessThan(1e-6)));
    const zeros = reloaded.getWeights().reduce((n, w) => n + (w.dataSync() as Float32Array).filter((v) => v === 0).length, 0);
    expect(zeros).toBeGreaterThan(0);
    x.dispose();
  } finally {
    server.close();
  }

  // Teachable Machine's own library (TF.js 1.3.1, on an isolated page) reads the folder and predicts the same.
  if (teachableLibraryInstalled()) {
    // An opaque 224x224 pattern; the library scales x / 127 - 1 (its own convention), so the reference does too.
    const rgba = Array.from({ length: 224 * 224 * 4 }, (_, i) => (i % 4 === 3 ? 255 : (Math.floor(i / 4) * 7 + (i % 4) * 50) % 256));
    const tm = await predictWithTeachableLibrary(page.context(), out, rgba);
    expect(tm.tfjs).toBe('1.3.1');
    expect(tm.labels).toEqual(source.labels);
    const rgb = rgba.filter((_, i) => i % 4 !== 3).map((v) => v / 127 - 1);
    const ref = tf.tidy(() => (sparse.predict(tf.tensor4d(rgb, [1, 224, 224, 3])) as tf.Tensor).arraySync() as number[][])[0]!;
    tm.probabilities.forEach((p, k) => expect(Math.abs(p - ref[k]!)).toBeLessThan(1e-4));
    console.log(`@teachablemachine/image on TF.js ${tm.tfjs}: top class ${tm.labels[tm.probabilities.indexOf(Math.max(...tm.probabilities))]}, max |diff| ${Math.max(...tm.probabilities.map((p, k) => Math.abs(p - ref[k]!))).toExponential(2)}`);
  } else {
    console.log('@teachablemachine/image / tfjs-1.3.1 not installed: the Teachable Machine library check was skipped');
  }

  // And the studio loads the folder again as a Teachable Machine export, labels and all.
  await page.getByTestId('model-folder-input').setInputFiles(out);
  await waitIdle(page);
  await expect(page.getByTestId('model-name')).toHaveText('teachable-folder');
  await expect(page.getByTestId('model-classes')).toHaveText('12');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await expect(page.getByTestId('dataset-count')).toHaveText('100');
});
