/**
 * The built-in demo as a new user meets it: nothing dropped, the CIFAR-10 CNN and its images are
 * already loaded; one click runs UniPTS on the backend the start-up probe picked. At 90% the trained model must beat
 * the one-shot baseline on held-out images; at 2:4 the deployment report must show. Every request
 * of the whole run stays on the page's own origin.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { RunReport } from '../src/core/events';
import { REPO, openStudio, setOption, waitIdle } from './helpers';

async function downloadReport(page: Page): Promise<RunReport> {
  const event = page.waitForEvent('download');
  await page.getByTestId('download-report').click();
  return JSON.parse(fs.readFileSync(await (await event).path(), 'utf8')) as RunReport;
}

/** Records the origin of every request the page and its worker make. */
function watchRequests(page: Page): Set<string> {
  const origins = new Set<string>();
  page.on('request', (r) => {
    const url = new URL(r.url());
    origins.add(url.protocol === 'blob:' || url.protocol === 'data:' ? 'self' : url.origin);
  });
  return origins;
}

async function runDemo(page: Page, settings: Record<string, string | number>, query = ''): Promise<{ report: RunReport; seconds: number }> {
  await openStudio(page, query);
  await waitIdle(page);
  await expect(page.getByTestId('model-name')).toHaveText(/cifar/i);
  await expect(page.getByTestId('dataset-count')).toHaveText('300');
  await page.getByTestId('preset-quick').click();
  for (const [key, value] of Object.entries(settings)) await setOption(page, key, value);
  await expect(page.getByTestId('validation-message')).toHaveCount(0);
  const t0 = Date.now();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 25 * 60_000 });
  return { report: await downloadReport(page), seconds: (Date.now() - t0) / 1000 };
}

test('demo at 90% unstructured: the trained model beats the one-shot baseline', async ({ page, baseURL }) => {
  test.setTimeout(30 * 60_000);
  const origins = watchRequests(page);
  // The backend the start-up probe picked (wasm on this machine's software GPU).
  const { report, seconds } = await runDemo(page, { sparsity: 0.9 });
  expect(report.backend).toBe(await page.getByTestId('backend-name').textContent());
  expect(report.globalSparsity).toBeGreaterThanOrEqual(0.9 - 1e-3);
  expect(report.final.top1!).toBeGreaterThan(report.oneShot.top1!);
  expect(report.returned).toBe('trained');
  await expect(page.getByTestId('result-returned')).toContainText(/trained/i);
  await page.screenshot({ path: path.join(REPO, 'test-results', 'demo-run.png'), fullPage: true });
  const summary = { dense: report.dense.top1, oneShot: report.oneShot.top1, final: report.final.top1, seconds, timings: report.timings };
  fs.writeFileSync(path.join(REPO, 'test-results', 'demo-90.json'), JSON.stringify(summary, null, 2));
  console.log(`demo 90%: ${JSON.stringify(summary)}`);
  expect([...origins].filter((o) => o !== 'self' && o !== new URL(baseURL!).origin)).toEqual([]);
});

test('demo at 2:4: N:M layers, the validity check and the deployment report', async ({ page }) => {
  test.setTimeout(30 * 60_000);
  // On WebGPU, asked for: N:M masks and training must hold there too.
  const { report } = await runDemo(page, { budgetMinutes: 0, pattern: 'nm', 'nm-n': 2, 'nm-m': 4, epochs: 1, evalsPerRun: 3 }, 'backend=webgpu');
  expect(report.backend).toBe('webgpu');
  expect(report.pattern).toBe('2:4');
  // conv1 sees 3 input channels: not a multiple of 4, so it is unstructured, and says why.
  const conv1 = report.layers.find((l) => l.name === 'conv1')!;
  expect(conv1.pattern).toBe('unstructured');
  expect(report.layers.filter((l) => l.pattern === '2:4').length).toBeGreaterThanOrEqual(3);
  expect(report.deployment!.nmValid).toBe(true);
  // N:M masks must be right on WebGPU (exact 0/1, the N largest of each group): no divergence,
  // and training beats the one-shot model (empty masks once slipped through a >= check here).
  expect(report.divergence).toBeNull();
  expect(report.returned).toBe('trained');
  expect(report.final.top1!).toBeGreaterThan(report.oneShot.top1!);
  const deployment = page.getByTestId('result-deployment');
  await expect(deployment).toBeVisible();
  // "2:4" shows in the headline; the deployment view names the packed N:M format and its check.
  await expect(page.getByTestId('result-sparsity')).toContainText('2:4');
  await expect(deployment).toContainText(/N:M packed/);
  await expect(page.getByTestId('deploy-nm-valid')).toContainText('Every N:M layer holds at most N');
  await expect(deployment).toContainText(/CSR/);
  await expect(page.getByTestId('download-nm-packed')).toBeVisible();
  await page.screenshot({ path: path.join(REPO, 'test-results', 'demo-2of4.png'), fullPage: true });
});
