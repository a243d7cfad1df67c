/**
 * A whole run in the browser on the real MobileNet v1 0.25 and a few ImageNet sample photos,
 * with tiny settings (this machine has no GPU): load through the file inputs, start, cancel,
 * start again, watch every chart draw, finish, download the zip and reload it in Node.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { RunReport } from '../src/core/events';
import { MOBILENET_DIR, REPO, openStudio, setOption, sharedAsset, waitIdle, watchConsole } from './helpers';
import { loadZippedModel, measuredSparsity } from './sparse-model';

const CLASSES = ['000', '100', '200', '300', '400', '500', '600', '700'];
const CHARTS = ['chart-search', 'chart-sparsity', 'chart-loss', 'chart-tau', 'chart-lr', 'chart-eval', 'chart-churn'];

/** Tiny but complete: 2 search generations, 2 training steps, 2 held-out evaluations. */
const TINY: Record<string, number> = {
  budgetMinutes: 0,
  sparsity: 0.5,
  population: 2,
  generations: 1,
  parents: 1,
  fitnessImages: 6,
  bnBatches: 1,
  epochs: 1,
  batchSize: 3,
  evalsPerRun: 2,
  heldOut: 0.25,
};

/** Labelled photos of MobileNet's own classes (the folder name is the ImageNet index). */
const IMAGENET = sharedAsset('imagenet-dev', 'the MobileNet run in the browser (e2e/run.spec.ts)');

/** A folder with one photo per class in class sub-folders (labels = ImageNet indices). */
function imageFolder(imagenet: string, dir: string): string {
  const root = path.join(dir, 'calibration');
  for (const c of CLASSES) {
    fs.mkdirSync(path.join(root, c), { recursive: true });
    for (const f of fs.readdirSync(path.join(imagenet, c))) {
      fs.copyFileSync(path.join(imagenet, c, f), path.join(root, c, f));
    }
  }
  return root;
}

async function download(page: Page, testid: string): Promise<Buffer> {
  const event = page.waitForEvent('download');
  await page.getByTestId(testid).click();
  const file = await (await event).path();
  return fs.readFileSync(file);
}

test('MobileNet: load, cancel, run, chart, download and reload the sparse model', async ({ page }) => {
  test.skip(!IMAGENET, 'needs shared/assets/imagenet-dev (ImageNet sample photos, whose licence does not allow shipping them)');
  test.setTimeout(20 * 60_000);
  const problems = watchConsole(page);
  await openStudio(page);
  await waitIdle(page);

  await page.getByTestId('model-folder-input').setInputFiles(MOBILENET_DIR);
  await waitIdle(page);
  await expect(page.getByTestId('model-name')).toHaveText('mobilenet_v1_0.25_224');
  await expect(page.getByTestId('model-input-shape')).toHaveText('224 × 224 × 3');
  await expect(page.getByTestId('model-classes')).toHaveText('1000');

  await page.getByTestId('images-folder-input').setInputFiles(imageFolder(IMAGENET!, test.info().outputPath()));
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText(String(CLASSES.length));
  await expect(page.getByTestId('dataset-labelled')).toHaveText(`yes, ${CLASSES.length} classes`);
  await expect(page.getByTestId('thumbnail').first()).toBeVisible();

  await page.getByTestId('preset-quick').click();
  for (const [key, value] of Object.entries(TINY)) await setOption(page, key, value);
  await expect(page.getByTestId('validation-message')).toHaveCount(0);

  // Start, cancel once the search is under way, and check nothing loaded was lost. On a fast
  // backend the search may already be over when Cancel lands: the phase then active is cancelled.
  const status = page.getByTestId('run-status');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('phase-search')).toHaveAttribute('data-state', /active|done/, { timeout: 5 * 60_000 });
  await page.getByTestId('cancel-button').click();
  await expect(status).toHaveAttribute('data-status', 'cancelled', { timeout: 60_000 });
  await expect(page.locator('li[data-testid^="phase-"][data-state="cancelled"]')).toHaveCount(1);
  await expect(page.getByTestId('phase-export')).not.toHaveAttribute('data-state', /done|cancelled/);
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText(String(CLASSES.length));

  // Run to the end.
  await expect(page.getByTestId('run-button')).toBeEnabled({ timeout: 120_000 });
  await page.getByTestId('run-button').click();
  await expect(status).toHaveAttribute('data-status', 'running');
  await expect(status).toHaveAttribute('data-status', 'done', { timeout: 15 * 60_000 });
  for (const phase of ['load', 'dense-eval', 'search', 'one-shot', 'dst', 'final-eval', 'export']) {
    await expect(page.getByTestId(`phase-${phase}`)).toHaveAttribute('data-state', 'done');
  }
  for (const id of CHARTS) {
    const chart = page.getByTestId(id);
    expect(Number(await chart.getAttribute('data-points')), `${id} points`).toBeGreaterThanOrEqual(2);
    await expect(chart.locator('svg .recharts-line-curve, svg .recharts-bar-rectangle').first()).toBeAttached();
  }
  await expect(page.getByTestId('metric-final-top1')).toHaveText(/%$/);
  await expect(page.getByTestId('metric-dense-agreement')).toHaveText('100.0%');
  await expect(page.getByTestId('result-returned')).toBeVisible();
  await page.screenshot({ path: path.join(REPO, 'test-results', 'studio-run.png'), fullPage: true });

  // The download reloads in TF.js with exactly the reported per-layer sparsity.
  const report = JSON.parse((await download(page, 'download-report')).toString('utf8')) as RunReport;
  const model = await loadZippedModel(new Uint8Array(await download(page, 'download-zip')));
  const measured = measuredSparsity(model, report.layers);
  report.layers.forEach((l, i) => expect(measured[i], l.name).toBeCloseTo(l.sparsity, 6));
  const params = report.layers.reduce((n, l) => n + l.params, 0);
  const zeros = report.layers.reduce((n, l, i) => n + measured[i]! * l.params, 0);
  expect(zeros / params).toBeCloseTo(report.overallSparsity, 4);
  expect(report.globalSparsity).toBeGreaterThanOrEqual(0.5 - 1e-3);
  expect(model.outputs[0]!.shape).toEqual([null, 1000]);
  model.dispose();

  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
});
