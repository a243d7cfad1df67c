/** Without WebGPU the worker falls back (WebGL, else CPU), says why, and the studio still works. */
import { expect, test } from '@playwright/test';
import { openStudio, skipIfEngineMissing, waitIdle } from './helpers';

test('falls back from WebGPU and explains why', async ({ page }) => {
  await openStudio(page);
  await expect(page.getByTestId('backend-name')).toHaveText(/^(webgl|wasm|cpu)$/);
  await expect(page.getByTestId('backend-notes')).toContainText('WebGPU');
  await waitIdle(page);
  await skipIfEngineMissing(page);
  const demo = page.getByTestId('notice').filter({ hasText: /demo is not installed/ });
  test.skip((await demo.count()) > 0, 'the demo is not installed');
  await expect(page.getByTestId('model-summary')).toBeVisible();
  await expect(page.getByTestId('dataset-summary')).toBeVisible();
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});
