/**
 * What the page says, read as a user reads it: empty folders and empty files are called empty,
 * an error goes away once what it was about goes well and stays off other pages, the result
 * banner and the teaching notes tell one story about which model came back (a tie is a tie),
 * numbers are rounded and counts are singular when they are one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ProgressEvent, RunReport } from '../src/core/events';
import type { RunRecord } from '../src/ui/persist/db';
import { applyEvents, idleRun } from '../src/ui/run-state';
import { STUDIO_DB_NAME } from '../src/core/studio-db-layout';
import { smallPng } from './bad-fixtures';
import { REPO, openStudio, setOption, waitIdle } from './helpers';

/**
 * Drops one folder holding nothing on a drop zone, as Chromium hands such a drop to the page: a
 * directory entry whose listing is empty. (Playwright can drop files, not folders.)
 */
async function dropEmptyFolder(page: Page, zone: string, name: string): Promise<void> {
  await page.getByTestId(`${zone}-drop`).evaluate((el, folderName) => {
    const folder = { isFile: false, isDirectory: true, name: folderName, fullPath: `/${folderName}`, createReader: () => ({ readEntries: (ok: (entries: unknown[]) => void) => ok([]) }) };
    const drop = new DragEvent('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { items: [{ kind: 'file', webkitGetAsEntry: () => folder }], files: [] } });
    el.dispatchEvent(drop);
  }, name);
}

/** The only error banner's text, once there is exactly one. */
async function bannerText(page: Page): Promise<string> {
  await expect(page.getByTestId('error-banner')).toHaveCount(1);
  return (await page.getByTestId('error-banner').locator('.banner-text').textContent()) ?? '';
}

test('empty folders and empty files are called empty; an error goes once the model loads, and stays off the Runs page', async ({ page }) => {
  test.setTimeout(5 * 60_000);
  await openStudio(page, 'backend=wasm');
  await waitIdle(page);
  const banner = page.getByTestId('error-banner');

  await test.step('an empty folder dropped or picked', async () => {
    await dropEmptyFolder(page, 'images', 'holiday');
    expect(await bannerText(page)).toBe('The folder holiday is empty: no images in it.');
    await page.getByTestId('error-dismiss').click();
    await dropEmptyFolder(page, 'model', 'my-export');
    expect(await bannerText(page)).toBe('The folder my-export is empty: no model.json or .onnx in it.');
    await page.getByTestId('error-dismiss').click();
    const empty = path.join(test.info().outputPath(), 'nothing-here');
    fs.mkdirSync(empty, { recursive: true });
    await page.getByTestId('images-folder-input').setInputFiles(empty);
    expect(await bannerText(page)).toBe('The chosen folder is empty: no images in it.');
    await page.getByTestId('error-dismiss').click();
  });

  await test.step('a zero-byte image', async () => {
    await page.getByTestId('images-files-input').setInputFiles([{ name: 'image.png', mimeType: 'image/png', buffer: Buffer.alloc(0) }]);
    await waitIdle(page);
    const message = await bannerText(page);
    expect(message).toContain('image.png: the file is empty (0 bytes)');
    expect(message).not.toContain('not a JPEG');
    // Images that read well make the error about the last ones old news.
    await page.getByTestId('images-files-input').setInputFiles([{ name: 'ok.png', mimeType: 'image/png', buffer: smallPng() }]);
    await waitIdle(page);
    await expect(banner).toHaveCount(0);
    await expect(page.getByTestId('dataset-count')).toHaveText('1');
  });

  await test.step('a corrupt model: its error is not shown on the Runs page, and goes once a valid model loads', async () => {
    await page.getByTestId('model-files-input').setInputFiles([{ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{ "modelTopology": nope') }]);
    await waitIdle(page);
    expect(await bannerText(page)).toMatch(/model\.json: not valid JSON/);
    await page.getByTestId('nav-runs').click();
    await expect(page.getByTestId('runs-page')).toBeVisible();
    await expect(banner).toHaveCount(0);
    await page.getByTestId('nav-studio').click();
    await expect(banner).toHaveCount(1);
    await page.getByTestId('builtin-demo').click();
    await waitIdle(page);
    await expect(page.getByTestId('model-name')).toHaveText(/cifar/i);
    await expect(banner).toHaveCount(0);
  });
});

/** A recorded run of the demo (CLI, --events), as the page folds it. */
function recorded(name: string): { state: RunRecord['state']; report: RunReport } {
  const rec = JSON.parse(fs.readFileSync(path.join(REPO, 'src/ui/teaching/fixtures', `${name}.json`), 'utf8')) as { events: ProgressEvent[]; report: RunReport };
  const run = applyEvents({ ...idleRun, status: 'running' }, rec.events);
  const { artifacts: _none, ...state } = { ...run, status: 'done' as const, report: rec.report, layers: rec.report.layers };
  return { state, report: rec.report };
}

/** A saved, finished run record holding `state`. */
function savedRun(id: string, createdAt: number, state: RunRecord['state']): RunRecord {
  const report = state.report!;
  return {
    id, createdAt, updatedAt: createdAt, checkpointStep: null, checkpointBytes: 0, status: 'done', error: null,
    modelName: 'CIFAR-10 demo', modelSource: 'CIFAR-10 demo', datasetSource: 'CIFAR-10 demo images', imageCount: 300,
    options: report.settings, backend: report.backend, inputsId: 'none', state, hasArtifacts: false,
  };
}

/** Writes `records` to the studio's saved runs and reloads the page, which lists them. */
async function seedRuns(page: Page, records: RunRecord[]): Promise<void> {
  await page.evaluate(
    ({ name, runs }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('runs', 'readwrite');
          for (const r of runs) tx.objectStore('runs').put(r);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    { name: STUDIO_DB_NAME, runs: records },
  );
  await page.reload();
  await expect(page.getByTestId('nav-runs')).toHaveText(`Runs (${records.length})`);
}

/**
 * Checks the result banner says `banner`, and that the validation chart's note and (but for a
 * trained model that beat the one-shot one, which the summary tells as points won back) the
 * summary give the banner's reason; returns the reason.
 */
async function sameReason(page: Page, banner?: string): Promise<string> {
  const returned = page.getByTestId('result-returned');
  if (banner) await expect(page.getByTestId('result-returned-text')).toHaveText(banner);
  const text = (await page.getByTestId('result-returned-text').textContent()) ?? '';
  const reason = /\(step \d+\) (.+)\.$/.exec(text)?.[1] ?? '';
  expect(reason, text).not.toBe('');
  await expect(page.getByTestId('chart-eval-note')).toContainText(`, which ${reason}: the `);
  const beat = (await returned.getAttribute('data-returned')) === 'trained' && (await returned.getAttribute('data-relation')) === 'beat';
  if (!beat) await expect(page.getByTestId('teach-summary')).toContainText(reason);
  return reason;
}

async function openSaved(page: Page, index: number): Promise<void> {
  await page.getByTestId('nav-runs').click();
  await page.getByTestId('run-row').nth(index).getByTestId('run-open').click();
  await expect(page.getByTestId('result-returned')).toBeVisible();
}

test('saved runs: the banner and the teaching notes read one verdict, a tie is a tie, numbers are rounded', async ({ page }) => {
  test.setTimeout(5 * 60_000);
  await openStudio(page, 'backend=wasm');
  await waitIdle(page);
  // 30% for one epoch: its best checkpoint (step 5) scored exactly the one-shot model's 78.3%; the one-shot model came back.
  const level = recorded('demo-30-1epoch');
  // 90%, with its best checkpoint made level with the one-shot model's 36.7% but closer to the dense outputs, and an automatic rate kept to all its digits.
  const close = recorded('demo-90');
  const oneShot = close.report.oneShot;
  const tied = { ...close.report.final, top1: oneShot.top1!, kl: 0.9 };
  close.state.evals = [{ step: 15, agreement: tied.agreement, top1: tied.top1, kl: tied.kl, best: true }];
  close.state.metrics = { ...close.state.metrics, final: tied };
  close.state.report = { ...close.report, final: tied, bestStep: 15, settings: { ...close.report.settings, lr: 0.0005689693714699657 } };
  await seedRuns(page, [savedRun('level', 1, level.state), savedRun('close', 2, close.state)]);

  await test.step('the one-shot model kept on a tie', async () => {
    await openSaved(page, 1);
    await expect(page.getByTestId('result-returned')).toHaveAttribute('data-relation', 'tie');
    const reason = await sameReason(page, "The one-shot model was returned: training's best checkpoint on the validation images (step 5) only tied with the one-shot model at 78.3%.");
    await expect(page.getByTestId('chart-eval-note')).toContainText(`Training's best checkpoint: step 5, which ${reason}: the one-shot model was returned.`);
    // The churn peaked at 0.3% (a layer's line): its axis ticks must read apart, not "0.2%" twice.
    const ticks = await page.getByTestId('chart-churn').locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  await test.step('the trained model returned on a tie, closer to the dense outputs', async () => {
    await openSaved(page, 0);
    await expect(page.getByTestId('result-returned')).toHaveAttribute('data-relation', 'tie');
    const reason = await sameReason(
      page,
      "The trained model was returned: its best checkpoint on the validation images (step 15) tied with the one-shot model at 36.7%, and its outputs are closer to the dense model's (KL 0.900 against 1.22).",
    );
    await expect(page.getByTestId('teach-summary')).toContainText(`won no points back: its best checkpoint (step 15) ${reason}.`);
    for (const said of ['result-returned', 'teach-summary', 'chart-eval-note']) await expect(page.getByTestId(said)).not.toContainText(/beat|above|fallback/);
  });

  await test.step('the compare view rounds the learning rate', async () => {
    await page.getByTestId('nav-runs').click();
    for (const box of await page.getByTestId('run-select').all()) await box.check();
    const rate = page.getByTestId('compare-row-epochs-batch-lr');
    await expect(rate).toContainText('0.00057');
    await expect(rate).not.toContainText('0.000568969');
  });
});

test('a run on one image at a rate that blows up: singular counts, no dense model "agreeing with itself", one verdict, the advice once, no NaN attribute', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  await openStudio(page, 'backend=wasm');
  await waitIdle(page);
  await page.getByTestId('images-files-input').setInputFiles([{ name: 'cat.png', mimeType: 'image/png', buffer: smallPng(200) }]);
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText('1');
  await expect(page.getByTestId('dataset-summary')).toContainText('1 image is a small calibration set');
  // A few steps at a rate no model survives: the outputs overflow, the KL turns NaN and training stops there.
  for (const [key, value] of Object.entries({ budgetMinutes: 0, distribution: 'uniform', epochs: 5, lr: 1e12 })) await setOption(page, key, value);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 8 * 60_000 });

  // The diverged step is drawn (its KL is NaN); the lowest KL is over the finite ones, never a NaN attribute (React's console error in development).
  const loss = page.getByTestId('chart-loss');
  expect(await loss.getAttribute('data-kl-series')).toContain('NaN');
  expect(await loss.getAttribute('data-kl-min')).toMatch(/^\d+(\.\d+)?(e[+-]\d+)?$/);
  const divergence = page.getByTestId('result-divergence');
  await expect(divergence).toHaveText(/^Training diverged at step \d+\b.*\blr 1000000000000\b.* Kept the best checkpoint; try a lower learning rate[^.]*\.$/);
  expect(((await divergence.textContent()) ?? '').match(/learning rate/gi)).toHaveLength(1);

  const result = page.getByTestId('result-panel');
  await expect(page.getByTestId('validation-title')).toContainText('Validation · 1 image held out');
  await expect(page.getByTestId('result-timings')).toContainText('1 calibration image + 1 validation image');
  for (const part of [page.getByTestId('inputs-panel'), result, page.getByTestId('teach-phases')]) await expect(part).not.toContainText(/\b1 (images|classes)\b/);
  await expect(page.getByTestId('teach-summary')).toContainText('The dense network is the reference');
  for (const part of [result, page.getByTestId('teach-phases')]) await expect(part).not.toContainText(/100\.0% agreement with the dense model/);
  // The banner, the validation note and the summary give one reason, and name the same model.
  await sameReason(page);
  const returned = await page.getByTestId('result-returned').getAttribute('data-returned');
  await expect(page.getByTestId('teach-summary')).toContainText(returned === 'trained' ? 'hands back this trained model' : 'hands back the one-shot model');
});
