/**
 * The page itself: it loads under the strict CSP, the worker picks WebGPU, the demo loads on
 * first visit, and invalid settings are explained and block Run.
 */
import { expect, test } from '@playwright/test';
import { openStudio, setOption, waitIdle, watchConsole } from './helpers';

test('loads, picks WebGPU in the worker and opens with the demo', async ({ page }) => {
  const problems = watchConsole(page);
  await openStudio(page);
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await expect(page.getByTestId('backend-adapter')).toContainText(/\w/);
  // The preview server's COOP/COEP headers make the page cross-origin isolated.
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('phase-stepper')).toBeVisible();
  await expect(page.getByTestId('phase-load')).toHaveAttribute('data-state', 'pending');

  // First visit: the demo is fetched and loaded.
  await waitIdle(page);
  await expect(page.getByTestId('model-summary')).toBeVisible();
  await expect(page.getByTestId('model-input-shape')).toHaveText('32 × 32 × 3');
  await expect(page.getByTestId('model-classes')).toHaveText('10');
  await expect(page.getByTestId('dataset-count')).toHaveText('300');
  await expect(page.getByTestId('dataset-summary')).toBeVisible();
  expect(Number((await page.getByTestId('dataset-count').textContent())?.replace(/,/g, ''))).toBeGreaterThan(0);
  await expect(page.getByTestId('thumbnail').first()).toBeVisible();
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('explains invalid settings and blocks Run', async ({ page }) => {
  const problems = watchConsole(page);
  await openStudio(page);
  const messages = page.getByTestId('validation-message');
  const run = page.getByTestId('run-button');

  await setOption(page, 'sparsity', 1.5);
  await expect(messages.filter({ hasText: 'Target sparsity must be between 0 and 1' })).toHaveCount(1);
  await expect(run).toBeDisabled();
  await expect(page.getByTestId('run-status')).toHaveText(/Fix the settings|Load|Waiting|Reading|Downloading/);

  await setOption(page, 'sparsity', 0.6);
  await expect(messages).toHaveCount(0);

  await page.getByTestId('opt-pattern').selectOption('nm');
  await page.getByTestId('opt-nm-n').fill('4');
  await page.getByTestId('opt-nm-m').fill('4');
  await expect(messages.filter({ hasText: 'N < M' })).toHaveCount(1);
  await expect(run).toBeDisabled();

  await page.getByTestId('opt-nm-n').fill('2');
  await expect(messages).toHaveCount(0);

  // An emptied number field is caught too, and the presets restore valid values.
  await page.getByTestId('opt-epochs').fill('');
  await expect(messages.filter({ hasText: 'Epochs' }).first()).toBeVisible();
  await page.getByTestId('preset-paper').click();
  await expect(messages).toHaveCount(0);
  await expect(page.getByTestId('opt-epochs')).toHaveValue('100');
  await page.getByTestId('preset-quick').click();
  await expect(page.getByTestId('opt-epochs')).toHaveValue('3');
  expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
});

test('a bad drop explains itself and keeps what was loaded', async ({ page }) => {
  await openStudio(page);
  await waitIdle(page);
  const before = await page.getByTestId('model-name').textContent();
  expect(before).toMatch(/cifar/i);

  await page.getByTestId('model-files-input').setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{"modelTopology": 4') },
    { name: 'group1-shard1of1.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(16) },
  ]);
  const banner = page.getByTestId('error-banner');
  await expect(banner).toHaveCount(1);
  await expect(banner).toContainText('model.json');
  await expect(page.getByTestId('model-name')).toHaveText(before!);
  await expect(page.getByTestId('dataset-summary')).toBeVisible();
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await page.getByTestId('error-dismiss').click();
  await expect(banner).toHaveCount(0);

  // Images only, without model.json: refused before anything reaches the worker.
  await page.getByTestId('model-files-input').setInputFiles([{ name: 'cat.png', mimeType: 'image/png', buffer: Buffer.alloc(8) }]);
  await expect(banner).toContainText('No model.json');
  await expect(page.getByTestId('model-name')).toHaveText(before!);
});
