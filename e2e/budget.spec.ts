/**
 * The time budget and the test images, as a user drives them: the demo loads, a folder of
 * official CIFAR-10 test images (never among the demo's own) goes into the test drop zone, the
 * "Quick look" budget is kept, and Run says its plan before the search, then reports validation
 * and test scores apart. The test scores on the page match the downloaded report, and the
 * report's test count is the folder's.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunReport } from '../src/core/events';
import { REPO, openStudio, waitIdle, watchConsole } from './helpers';

const TEST_IMAGES = 120;

test('time budget and test drop zone: a plan first, then validation and test scores apart', async ({ page }, info) => {
  test.setTimeout(12 * 60_000);
  const dir = info.outputPath('cifar-test');
  const made = spawnSync(process.execPath, [path.join(REPO, 'scripts/cifar10/fetch.mjs'), '--folders', dir, '--count', String(TEST_IMAGES), '--exclude-demo'], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);

  const problems = watchConsole(page);
  await openStudio(page);
  await waitIdle(page);
  await page.getByTestId('builtin-demo').click();
  await waitIdle(page);
  await page.getByTestId('test-images-folder-input').setInputFiles(dir);
  await waitIdle(page);
  await expect(page.getByTestId('test-set-summary')).toContainText(`Test images: ${TEST_IMAGES} from`);

  await expect(page.getByTestId('preset-quick')).toHaveClass(/on/);
  await expect(page.getByTestId('opt-budgetMinutes')).toHaveValue('1');
  await page.getByTestId('run-button').click();
  const plan = page.getByTestId('run-plan');
  await expect(plan).toContainText(/Plan for the 60 s budget: (search \d+ x \d+, )?\d+ epochs?, \d+ validation checks, about/, { timeout: 180_000 });
  // The plan is said before the search has finished (the phase stepper is still at the search).
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 8 * 60_000 });

  await expect(page.getByTestId('validation-title')).toContainText('they chose the checkpoint');
  await expect(page.getByTestId('test-title')).toContainText(`Test · ${TEST_IMAGES} images scored once at the end; they chose nothing`);
  for (const which of ['dense', 'oneshot', 'final']) {
    await expect(page.getByTestId(`test-metric-${which}-top1`)).toHaveText(/^\d+\.\d%$/);
    await expect(page.getByTestId(`metric-${which}-top1`)).toHaveText(/^\d+\.\d%$/);
  }
  await expect(page.getByTestId('result-budget')).toContainText('plan:');

  const download = page.waitForEvent('download');
  await page.getByTestId('download-report').click();
  const report = JSON.parse(fs.readFileSync(await (await download).path(), 'utf8')) as RunReport;
  expect(report.testImages).toBe(TEST_IMAGES);
  expect(report.budget?.budgetSeconds).toBe(60);
  const shown = async (id: string) => Number((await page.getByTestId(id).textContent())!.replace('%', ''));
  expect(await shown('test-metric-final-top1')).toBeCloseTo(report.test!.final.top1! * 100, 1);
  expect(await shown('test-metric-dense-top1')).toBeCloseTo(report.test!.dense.top1! * 100, 1);
  expect(await shown('metric-final-top1')).toBeCloseTo(report.final.top1! * 100, 1);
  // How long the budgeted run took, for the record (the bench and the quality script measure it).
  console.log(`budget e2e: planned "${report.budget!.plan}", took ${report.timings.totalSeconds.toFixed(1)} s of 60 s`);
  expect(problems).toEqual([]);
});
