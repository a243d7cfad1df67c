/**
 * Nothing lost: runs are saved in IndexedDB as they go. Finished runs survive a reload and can be
 * reopened, downloaded and compared; a run stopped by a worker crash, a reload or a lost GPU is
 * marked interrupted and resumes from its checkpoint (on another backend if need be) to the same
 * result as a run that was never interrupted. The demo on wasm keeps these fast.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import type { RunReport } from '../src/core/events';
import { STUDIO_DB_NAME } from '../src/core/studio-db-layout';
import { REPO, openStudio, setOption, waitIdle } from './helpers';

/** 2 epochs of 15 steps with 3 held-out evaluations (each saves a checkpoint); no search. */
const SHORT: Record<string, string | number> = { budgetMinutes: 0, distribution: 'uniform', sparsity: 0.7, epochs: 2, batchSize: 16, evalsPerRun: 3 };

async function download(page: Page, testid: string, scope = page.locator('body')): Promise<Buffer> {
  const event = page.waitForEvent('download');
  await scope.getByTestId(testid).first().click();
  return fs.readFileSync(await (await event).path());
}

async function report(page: Page): Promise<RunReport> {
  return JSON.parse((await download(page, 'download-report')).toString('utf8')) as RunReport;
}

async function configure(page: Page, settings: Record<string, string | number>): Promise<void> {
  await page.getByTestId('preset-quick').click();
  for (const [key, value] of Object.entries(settings)) await setOption(page, key, value);
  await expect(page.getByTestId('validation-message')).toHaveCount(0);
}

async function runToEnd(page: Page): Promise<void> {
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 8 * 60_000 });
}

/** Waits until the running run has saved a checkpoint at `step` or later; returns its step. */
async function checkpointAt(page: Page, step: number): Promise<number> {
  const saved = page.getByTestId('checkpoint-step');
  await expect.poll(async () => Number((await saved.getAttribute('data-step').catch(() => null)) ?? -1), { timeout: 5 * 60_000 }).toBeGreaterThanOrEqual(step);
  return Number(await saved.getAttribute('data-step'));
}

function sameResult(a: RunReport, b: RunReport): void {
  expect(b.final.top1).toBe(a.final.top1);
  expect(b.final.agreement).toBe(a.final.agreement);
  expect(b.final.kl).toBeCloseTo(a.final.kl, 5);
  expect(b.bestStep).toBe(a.bestStep);
  expect(b.globalSparsity).toBe(a.globalSparsity);
}

test('finished runs survive a reload: listed, reopened, downloaded and compared', async ({ page }) => {
  test.setTimeout(15 * 60_000);
  await openStudio(page, 'backend=wasm');
  await waitIdle(page);
  await configure(page, { ...SHORT, epochs: 1 });
  await runToEnd(page);
  const first = await report(page);
  await configure(page, { ...SHORT, epochs: 1, sparsity: 0.8 });
  await runToEnd(page);
  const second = await report(page);
  await expect(page.getByTestId('nav-runs')).toHaveText('Runs (2)');

  await page.reload();
  await expect(page.getByTestId('nav-runs')).toHaveText('Runs (2)');
  await page.getByTestId('nav-runs').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-status', 'done');
  await expect(rows.nth(0)).toContainText('80% uniform');
  await expect(rows.nth(1)).toContainText('70% uniform');
  await expect(rows.nth(0).getByTestId('run-final')).toHaveText(`${(second.final.top1! * 100).toFixed(1)}%`);

  // The whole run as one zip, straight from the list.
  const zip = unzipSync(new Uint8Array(await download(page, 'run-download', rows.nth(1))));
  expect(Object.keys(zip)).toEqual(expect.arrayContaining(['model.json', 'masks.json', 'masks.bin', 'recipe.json', 'report.json']));
  expect((JSON.parse(strFromU8(zip['report.json']!)) as RunReport).final).toEqual(first.final);

  // Reopened: the charts and the result panel come back, with downloads.
  await rows.nth(1).getByTestId('run-open').click();
  await expect(page.getByTestId('result-panel')).toBeVisible();
  await expect(page.getByTestId('result-sparsity')).toContainText('70');
  expect(Number(await page.getByTestId('chart-loss').getAttribute('data-points'))).toBeGreaterThan(0);
  expect((await report(page)).final).toEqual(first.final);

  // Side by side.
  await page.getByTestId('nav-runs').click();
  await rows.nth(0).getByTestId('run-select').check();
  await rows.nth(1).getByTestId('run-select').check();
  await expect(page.getByTestId('compare-column')).toHaveCount(2);
  const finals = page.getByTestId('compare-row-final').locator('td');
  await expect(finals.nth(0)).toHaveText(`${(second.final.top1! * 100).toFixed(1)}%`);
  await expect(finals.nth(1)).toHaveText(`${(first.final.top1! * 100).toFixed(1)}%`);
  await expect(page.getByTestId('compare-loss')).toHaveAttribute('data-points', /[1-9]/);
  await page.screenshot({ path: path.join(REPO, 'test-results', 'runs-compare.png'), fullPage: true });

  // Deleting one leaves the other.
  await rows.nth(0).getByTestId('run-delete').click();
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('nav-runs')).toHaveText('Runs (1)');
});

test('a worker crash interrupts the run; Resume ends exactly like an uninterrupted run', async ({ page }) => {
  test.setTimeout(15 * 60_000);
  await openStudio(page, 'backend=wasm&debug=faults');
  await waitIdle(page);
  await configure(page, SHORT);
  await runToEnd(page);
  const uninterrupted = await report(page);

  await page.getByTestId('run-button').click();
  const step = await checkpointAt(page, 10);
  await page.evaluate(() => (globalThis as unknown as { ptsStudioFaults: { inject(k: string): Promise<void> } }).ptsStudioFaults.inject('crash'));
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'interrupted');
  await expect(page.getByTestId('error-banner').last()).toContainText(/worker crashed/i);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 120_000 });
  await waitIdle(page);
  // Training may have saved again before the crash landed.
  const resume = page.getByTestId('resume-button');
  await expect(resume).toHaveText(/Resume from step \d+/);
  expect(Number(/step (\d+)/.exec((await resume.textContent())!)![1])).toBeGreaterThanOrEqual(step);
  await resume.click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 8 * 60_000 });
  sameResult(uninterrupted, await report(page));
  await page.getByTestId('nav-runs').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.locator('[data-testid="run-row"][data-status="done"]')).toHaveCount(2);
});

test('a reload mid-run leaves an interrupted run that resumes from its checkpoint', async ({ page }) => {
  test.setTimeout(15 * 60_000);
  await openStudio(page, 'backend=wasm');
  await waitIdle(page);
  await configure(page, SHORT);
  await page.getByTestId('run-button').click();
  const step = await checkpointAt(page, 10);
  await page.reload();
  await waitIdle(page);
  // What the page said was saved is there (a later save may have landed just before the reload).
  const bar = page.getByTestId('resume-bar');
  await expect(bar).toContainText(/checkpoint at step \d+/);
  expect(Number(/checkpoint at step (\d+)/.exec((await bar.textContent())!)![1])).toBeGreaterThanOrEqual(step);
  await page.getByTestId('resume-bar-resume').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 8 * 60_000 });
  const resumed = await report(page);
  expect(resumed.globalSparsity).toBeGreaterThanOrEqual(0.7 - 1e-3);
  // The loss chart holds every step: those before the reload and those after.
  expect(Number(await page.getByTestId('chart-loss').getAttribute('data-points'))).toBe(30);
  await page.getByTestId('nav-runs').click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-status', 'done');
});

test('a reload after a checkpoint is stored but before the page hears of it resumes with the whole loss chart', async ({ page }) => {
  test.setTimeout(15 * 60_000);
  await openStudio(page, 'backend=wasm&debug=faults');
  await waitIdle(page);
  await configure(page, SHORT);
  // The first checkpoint after training began is announced; the next is stored but the page is not told of it. The page's
  // periodic saves stop too, so only what is saved around a checkpoint holds the charts.
  await page.evaluate(() => (globalThis as unknown as { ptsStudioFaults: { inject(k: string): Promise<void> } }).ptsStudioFaults.inject('hold-checkpoint-ack'));
  await page.getByTestId('run-button').click();
  const announced = await storedCheckpointAbove(page, 0);
  const stored = await storedCheckpointAbove(page, announced);
  await page.reload();
  await waitIdle(page);
  await expect(page.getByTestId('resume-bar')).toContainText(`checkpoint at step ${stored}`);
  await page.getByTestId('resume-bar-resume').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 8 * 60_000 });
  // The steps between the announced checkpoint and the stored one were saved with the charts before the checkpoint was.
  expect(Number(await page.getByTestId('chart-loss').getAttribute('data-points'))).toBe(30);
});

/** Waits, reading the browser's storage every few ms, until the run's stored checkpoint is past `step`; returns its step. */
async function storedCheckpointAbove(page: Page, step: number): Promise<number> {
  return page.evaluate(
    ({ name, after }) =>
      new Promise<number>((resolve, reject) => {
        const deadline = Date.now() + 5 * 60_000;
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const read = () => {
            const all = db.transaction('runs').objectStore('runs').getAll();
            all.onerror = () => reject(all.error);
            all.onsuccess = () => {
              const stored = Math.max(-1, ...(all.result as { checkpointStep: number | null }[]).map((r) => r.checkpointStep ?? -1));
              if (stored > after) {
                db.close();
                resolve(stored);
              } else if (Date.now() > deadline) reject(new Error(`no checkpoint past step ${after} was stored`));
              else setTimeout(read, 5);
            };
          };
          read();
        };
      }),
    { name: STUDIO_DB_NAME, after: step },
  );
}

test('a lost GPU device interrupts the run; it resumes on wasm', async ({ page }) => {
  test.setTimeout(20 * 60_000);
  await openStudio(page, 'backend=webgpu&debug=faults');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await waitIdle(page);
  await configure(page, { ...SHORT, epochs: 1, batchSize: 32, evalsPerRun: 1 });
  await page.getByTestId('run-button').click();
  // The checkpoint after the one-shot phase (step 0), then the device goes.
  await checkpointAt(page, 0);
  await page.evaluate(() => (globalThis as unknown as { ptsStudioFaults: { inject(k: string): Promise<void> } }).ptsStudioFaults.inject('lose-device'));
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'interrupted', { timeout: 120_000 });
  await expect(page.getByTestId('error-banner').last()).toContainText(/GPU device was lost/);
  await waitIdle(page);
  await page.getByTestId('backend-choice').selectOption('wasm');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 120_000 });
  await waitIdle(page);
  await page.getByTestId('resume-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 8 * 60_000 });
  const r = await report(page);
  expect(r.backend).toBe('wasm');
  expect(r.final.top1!).toBeGreaterThanOrEqual(r.oneShot.top1!);
});
