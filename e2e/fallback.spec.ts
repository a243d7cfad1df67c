/** Without WebGPU the worker falls back (WebGL, else CPU), says why, and the studio still works. */
import { expect, test } from '@playwright/test';
import { openStudio, waitIdle } from './helpers';

test('falls back from WebGPU and explains why', async ({ page }) => {
  await openStudio(page);
  await expect(page.getByTestId('backend-name')).toHaveText(/^(webgl|wasm|cpu)$/);
  await expect(page.getByTestId('backend-notes')).toContainText('WebGPU');
  await waitIdle(page);
  await expect(page.getByTestId('model-summary')).toBeVisible();
  await expect(page.getByTestId('dataset-summary')).toBeVisible();
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test('?backend=wasm trains on wasm with the studio\'s gradient kernels', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 120_000 });
  await expect(page.getByTestId('backend-notes')).toContainText('as requested');
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText('300');
});
