/**
 * Memory in one page (wasm backend, the built-in demo): over 510 DST steps the live tensor count
 * and bytes stay flat after warm-up, and after each of three runs the worker holds exactly what
 * it held after the first. Writes test-results/memory.json with the figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { REPO, openStudio, setOption, waitIdle, watchConsole } from './helpers';

/** 240 calibration images (300 less 20% held out) in batches of 8: 30 steps an epoch. */
const LONG = { budgetMinutes: 0, distribution: 'uniform', epochs: 17, batchSize: 8, evalsPerRun: 1, bnBatches: 1 } as const;
const LONG_STEPS = 17 * 30;

async function run(page: Page, epochs: number): Promise<{ tensors: number; bytes: number }> {
  await setOption(page, 'epochs', epochs);
  await expect(page.getByTestId('validation-message')).toHaveCount(0);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 3 * 60_000 });
  const after = page.getByTestId('worker-memory');
  await expect(after).toBeVisible();
  await expect(after).toContainText(/After the run: [\d,]+ tensors/);
  return { tensors: Number(await after.getAttribute('data-tensors')), bytes: Number(await after.getAttribute('data-bytes')) };
}

const attr = async (page: Page, name: string) => Number(await page.getByTestId('memory-readout').getAttribute(`data-${name}`));

test('tensors and bytes stay flat over 500 DST steps and across runs', async ({ page }) => {
  test.setTimeout(5 * 60_000);
  const problems = watchConsole(page);
  await openStudio(page, 'backend=wasm');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText('300');
  await page.getByTestId('preset-quick').click();
  for (const [key, value] of Object.entries(LONG)) await setOption(page, key, value);

  const t0 = Date.now();
  const first = await run(page, LONG.epochs);
  const seconds = (Date.now() - t0) / 1000;
  // Every reading of the long run (one each 5 steps) is still in the series: none thinned away.
  const readout = page.getByTestId('memory-readout');
  await expect(readout).toHaveAttribute('data-step', String(LONG_STEPS));
  const long = {
    settledPoints: await attr(page, 'settled-points'),
    minTensors: await attr(page, 'min-tensors'),
    maxTensors: await attr(page, 'max-tensors'),
    minBytes: await attr(page, 'min-bytes'),
    maxBytes: await attr(page, 'max-bytes'),
  };
  expect(long.settledPoints).toBe(LONG_STEPS / 5 - 2); // steps 15, 20, …, 510
  expect(long.maxTensors - long.minTensors).toBe(0);
  expect(long.maxBytes - long.minBytes).toBe(0);
  await expect(readout).toContainText(/steady since step 10/);
  // The worker's wasm heap (a high-water mark) is shown too, and stays far under 1 GB here.
  await expect(readout).toContainText(/wasm heap [\d.]+ MB/);
  const heapBytes = await attr(page, 'heap-bytes');
  expect(heapBytes).toBeGreaterThan(0);
  expect(heapBytes).toBeLessThan(2 ** 30);
  // Training holds the teacher, optimiser state and masks on top of the model; the run frees them.
  expect(long.minTensors).toBeGreaterThan(first.tensors);

  const again = [await run(page, 1), await run(page, 1)];
  for (const r of again) expect(r).toEqual(first);

  const figures = { steps: LONG_STEPS, longRunSeconds: seconds, duringTraining: long, wasmHeapBytes: heapBytes, afterEachRun: [first, ...again] };
  fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'test-results', 'memory.json'), JSON.stringify(figures, null, 2));
  console.log(`memory: ${JSON.stringify(figures)}`);
  expect(problems.filter((p) => p.startsWith('page error'))).toEqual([]);
});
