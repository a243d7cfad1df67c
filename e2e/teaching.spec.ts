/**
 * Teaching mode as a newcomer meets it: the page opens on the demo at 90% on the quick preset,
 * Run is pressed with no change, the returned model beats one-shot by a clear margin, the KL
 * curve stays non-negative and falls, and every teaching sentence quotes the run's own numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { RunReport } from '../src/core/events';
import { REPO, openStudio, waitIdle } from './helpers';

const pc = (x: number) => `${(x * 100).toFixed(1)}%`;

async function downloadReport(page: Page): Promise<RunReport> {
  const event = page.waitForEvent('download');
  await page.getByTestId('download-report').click();
  return JSON.parse(fs.readFileSync(await (await event).path(), 'utf8')) as RunReport;
}

test('a newcomer presses Run on the demo: recovery, a falling KL, and teaching text with the run\'s numbers', async ({ page }) => {
  test.setTimeout(20 * 60_000);
  await openStudio(page);
  await waitIdle(page);
  await expect(page.getByTestId('model-name')).toHaveText(/cifar/i);
  await expect(page.getByTestId('teaching-toggle')).toHaveAttribute('aria-pressed', 'true');
  // The quick preset's 1-minute budget with the demo's own rate (so the presets say "custom").
  await expect(page.getByTestId('opt-budgetMinutes')).toHaveValue('1');
  await expect(page.getByTestId('opt-lr')).toHaveValue('0.03');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 15 * 60_000 });
  const report = await downloadReport(page);

  // The first minute shows the recovery: 90% unstructured, and training wins back a clear margin.
  expect(report.targetSparsity).toBe(0.9);
  expect(report.pattern).toBe('unstructured');
  expect(report.returned).toBe('trained');
  expect(report.final.top1! - report.oneShot.top1!).toBeGreaterThanOrEqual(0.05);
  expect(report.dense.top1! - report.oneShot.top1!).toBeGreaterThanOrEqual(0.15);

  // The KL curve: never negative, and it falls over the run (mean of the first vs last steps).
  const loss = page.getByTestId('chart-loss');
  const kl = ((await loss.getAttribute('data-kl-series')) ?? '').split(' ').map(Number);
  expect(kl.length).toBeGreaterThan(20);
  expect(Math.min(...kl)).toBeGreaterThanOrEqual(0);
  const n = Math.min(10, Math.floor(kl.length / 4));
  const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
  const first = mean(kl.slice(0, n));
  const last = mean(kl.slice(-n));
  expect(last).toBeLessThan(first);
  await expect(page.getByTestId('chart-loss-note')).toContainText(`fell from ${first.toFixed(2)} to ${last.toFixed(2)}`);

  // Teaching text beside the charts, the phases and the result, with the report's numbers.
  const summary = page.getByTestId('teach-summary');
  await expect(summary).toContainText(`The dense network scores ${pc(report.dense.top1!)} top-1 accuracy on ${report.dense.count} validation images`);
  await expect(summary).toContainText(`dropped it to ${pc(report.oneShot.top1!)}`);
  await expect(summary).toContainText(`brought it back to ${pc(report.final.top1!)}`);
  await expect(summary).toContainText(`taken at step ${report.bestStep}`);
  await expect(page.getByTestId('teach-phase-one-shot')).toHaveText(`Cutting 90% of the weights at once, with no training, leaves ${pc(report.oneShot.top1!)}.`);
  await expect(page.getByTestId('teach-phase-export')).toContainText(`${pc(report.globalSparsity)} of the prunable weights are 0`);
  const spared = report.layers.filter((l) => l.targetSparsity < 0.8).map((l) => l.name);
  expect(spared.length).toBeGreaterThan(0);
  await expect(page.getByTestId('chart-sparsity-note')).toContainText(`The search spared ${spared[0]}`);
  // The log base quoted is tau0 * gamma^epoch for a whole epoch index (the budget picks how many epochs run).
  const tauText = (await page.getByTestId('chart-tau-note').textContent()) ?? '';
  const tauNow = Number(/now e\^(\d+\.\d\d)/.exec(tauText)?.[1]);
  const { tau0, tauGamma } = report.settings;
  expect(Array.from({ length: 200 }, (_, e) => tau0 * tauGamma ** e).some((t) => Math.abs(t - tauNow) < 0.006)).toBe(true);
  expect(tauText).toContain(`(it began at e^${tau0.toFixed(2)})`);
  await expect(page.getByTestId('chart-eval-note')).toContainText(`Best checkpoint: step ${report.bestStep}`);
  await expect(page.getByTestId('chart-churn-note')).toContainText('Churn');
  await expect(page.getByTestId('chart-search-note')).toContainText('Best so far');
  fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
  await page.getByTestId('live-view').screenshot({ path: path.join(REPO, 'test-results', 'teaching-live.png') });
  await page.getByTestId('result-panel').screenshot({ path: path.join(REPO, 'test-results', 'teaching-result.png') });

  // Off, the notes go; the numbers stay in the tables.
  await page.getByTestId('teaching-toggle').click();
  await expect(page.getByTestId('teach-summary')).toHaveCount(0);
  await expect(page.getByTestId('chart-loss-note')).toHaveCount(0);
});

test('the second built-in example opens the demo at 2:4 on the quick preset', async ({ page }) => {
  await openStudio(page);
  await waitIdle(page);
  await expect(page.getByTestId('opt-sparsity')).toHaveValue('0.9');
  await page.getByTestId('builtin-demo-2of4').click();
  await waitIdle(page);
  await expect(page.getByTestId('model-name')).toHaveText(/cifar/i);
  await expect(page.getByTestId('dataset-count')).toHaveText('300');
  await page.$$eval('details.field-group', (ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));
  await expect(page.getByTestId('opt-pattern')).toHaveValue('nm');
  await expect(page.getByTestId('opt-nm-n')).toHaveValue('2');
  await expect(page.getByTestId('opt-nm-m')).toHaveValue('4');
  await expect(page.getByTestId('opt-budgetMinutes')).toHaveValue('1');
  // A preset is a recipe: it keeps the goal.
  await page.getByTestId('preset-paper').click();
  await expect(page.getByTestId('opt-nm-n')).toHaveValue('2');
  await expect(page.getByTestId('opt-epochs')).toHaveValue('100');
  await page.getByTestId('builtin-demo').click();
  await waitIdle(page);
  await expect(page.getByTestId('opt-pattern')).toHaveValue('unstructured');
  await expect(page.getByTestId('opt-sparsity')).toHaveValue('0.9');
  await expect(page.getByTestId('opt-lr')).toHaveValue('0.03');
});
