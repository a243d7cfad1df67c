/**
 * The page itself: it loads under the strict CSP, the worker times a training probe on each
 * backend and picks the fastest (or the one asked for), the demo loads on first visit, and
 * invalid settings are explained and block Run.
 */
import { expect, test, type Page } from '@playwright/test';
import { openStudio, setOption, waitIdle, watchConsole } from './helpers';

/** The probe table as shown: name -> ms per step, and whether it is only a lower bound ("> 3,000 ms"). */
async function probeFigures(page: Page): Promise<Map<string, { ms: number; slow: boolean }>> {
  const figures = new Map<string, { ms: number; slow: boolean }>();
  for (const row of await page.getByTestId('backend-probe').locator('tr').all()) {
    const name = (await row.locator('th').textContent())?.trim() ?? '';
    const text = (await row.getByTestId('probe-ms').textContent()) ?? '';
    const match = /^(>\s*)?([\d,.]+) ms$/.exec(text.trim());
    if (match) figures.set(name, { ms: Number(match[2]!.replace(/,/g, '')), slow: !!match[1] });
  }
  return figures;
}

/** The backend the displayed figures say is fastest: least ms among measured ones, else among slow ones. */
function fastest(figures: Map<string, { ms: number; slow: boolean }>): string {
  const rank = ([, f]: [string, { ms: number; slow: boolean }]) => (f.slow ? 1e12 : 0) + f.ms;
  return [...figures].sort((a, b) => rank(a) - rank(b))[0]![0];
}

test('loads, times each backend, picks the fastest by its figures and opens with the demo', async ({ page }) => {
  const problems = watchConsole(page);
  await openStudio(page);
  await expect(page.getByTestId('backend-probe')).toBeVisible();
  // This browser offers WebGPU (SwiftShader), WebGL and wasm: each is timed; cpu waits as the last resort.
  for (const name of ['webgpu', 'webgl', 'wasm']) {
    await expect(page.getByTestId(`probe-${name}`)).toHaveAttribute('data-status', /^(measured|slow)$/);
  }
  await expect(page.getByTestId('probe-cpu')).toHaveAttribute('data-status', 'skipped');
  const figures = await probeFigures(page);
  expect([...figures.keys()].sort()).toEqual(['wasm', 'webgl', 'webgpu']);
  const best = fastest(figures);
  await expect(page.getByTestId('backend-name')).toHaveText(best);
  await expect(page.getByTestId('backend-notes')).toContainText(`Picked ${best}:`);
  await expect(page.getByTestId('backend-notes')).toContainText('software adapter');
  await expect(page.getByTestId('backend-choice')).toHaveValue('auto');
  // The preview server's COOP/COEP headers make the page cross-origin isolated (wasm may use threads).
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
  await expect(page.getByTestId('thumbnail').first()).toBeVisible();
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('?threads=2 trains wasm on two threads: the threaded build starts its helpers under the production CSP and build', async ({ page }) => {
  const problems = watchConsole(page);
  await openStudio(page, 'backend=wasm&threads=2');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  // "measured" means the probe's training steps ran on it; the detail says how.
  await expect(page.getByTestId('probe-wasm')).toHaveAttribute('data-status', 'measured');
  await expect(page.getByTestId('probe-wasm').locator('.probe-detail')).toHaveText('SIMD, 2 threads');
  await waitIdle(page);
  await expect(page.getByTestId('run-button')).toBeEnabled();
  // A helper thread that failed to start (a CSP refusal, a broken loader) shows up here.
  expect(problems).toEqual([]);
});

test('a reload reuses this browser\'s probe figures; "Measure again" times the backends afresh', async ({ page }) => {
  await openStudio(page);
  const probe = page.getByTestId('backend-probe');
  await expect(probe).toHaveAttribute('data-cached', 'no');
  const picked = await page.getByTestId('backend-name').textContent();
  const figures = await probeFigures(page);

  await page.reload();
  await expect(page.getByTestId('backend-name')).toHaveText(picked!, { timeout: 120_000 });
  await expect(probe).toHaveAttribute('data-cached', 'yes');
  await expect(page.getByTestId('backend-notes')).toContainText("Figures from this browser's probe");
  expect(await probeFigures(page)).toEqual(figures);
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText('300');

  await page.getByTestId('probe-remeasure').click();
  await expect(probe).toHaveAttribute('data-cached', 'no', { timeout: 120_000 });
  await expect(page.getByTestId('backend-notes')).toContainText(/Picked \w+:/);
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText('300');
});

test('?backend=webgpu uses WebGPU with its adapter and times only it', async ({ page }) => {
  await openStudio(page, 'backend=webgpu');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await expect(page.getByTestId('backend-adapter')).toContainText(/\w/);
  await expect(page.getByTestId('backend-notes')).toContainText('Using webgpu, as requested');
  await expect(page.getByTestId('backend-choice')).toHaveValue('webgpu');
  await expect(page.getByTestId('probe-webgpu')).toHaveAttribute('data-status', /^(measured|slow)$/);
  expect([...(await probeFigures(page)).keys()]).toEqual(['webgpu']);
  for (const name of ['webgl', 'wasm', 'cpu']) await expect(page.getByTestId(`probe-${name}`)).toHaveAttribute('data-status', 'skipped');
});

test('the backend choice restarts the worker on another backend and keeps the demo loaded', async ({ page }) => {
  const problems = watchConsole(page);
  await openStudio(page);
  await waitIdle(page);
  await expect(page.getByTestId('model-name')).toHaveText(/cifar/i);
  const picked = (await page.getByTestId('backend-name').textContent())!;
  const other = picked === 'webgl' ? 'wasm' : 'webgl';
  const choice = page.getByTestId('backend-choice');
  await expect(choice).toBeEnabled();

  await choice.selectOption(other);
  await expect(page.getByTestId('backend-name')).toHaveText(other, { timeout: 120_000 });
  await expect(page.getByTestId('backend-notes')).toContainText(`Using ${other}, as requested`);
  await expect(choice).toHaveValue(other);
  await waitIdle(page);
  await expect(page.getByTestId('model-name')).toHaveText(/cifar/i);
  await expect(page.getByTestId('dataset-count')).toHaveText('300');
  await expect(page.getByTestId('run-button')).toBeEnabled();

  // Back to Auto: every backend is timed again and the fastest by the new figures is used.
  await choice.selectOption('auto');
  await expect(page.getByTestId('probe-webgpu')).toHaveAttribute('data-status', /^(measured|slow)$/, { timeout: 120_000 });
  await expect(page.getByTestId('backend-name')).toHaveText(fastest(await probeFigures(page)));
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText('300');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);

  // While a run is in progress the choice is locked: a new worker would end the run.
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
  await expect(choice).toBeDisabled();
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled', { timeout: 60_000 });
  await expect(choice).toBeEnabled();
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
  await expect(page.getByTestId('opt-budgetMinutes')).toHaveValue('0');
  // The quick look is the same schedule under a 1-minute budget (the run cuts it to fit).
  await page.getByTestId('preset-quick').click();
  await expect(page.getByTestId('opt-budgetMinutes')).toHaveValue('1');
  await page.getByTestId('preset-thorough').click();
  await expect(page.getByTestId('opt-budgetMinutes')).toHaveValue('10');
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
