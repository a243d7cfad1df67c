/**
 * The search's fitness evaluations side by side in the browser: the compute worker starts a
 * search worker (its own single-threaded wasm and copy of the model) and the demo's search
 * comes out exactly as with none. Prints both search times; `npm run bench` is the figure to quote.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { RunReport } from '../src/core/events';
import { REPO, openStudio, setOption, waitIdle } from './helpers';

async function searchOnce(page: Page, workers: number): Promise<RunReport> {
  await openStudio(page, `backend=wasm&searchWorkers=${workers}`);
  await waitIdle(page);
  await expect(page.getByTestId('dataset-count')).toHaveText('300');
  await page.getByTestId('preset-quick').click();
  // No budget, so both runs search the same generations; one short epoch of training.
  for (const [k, v] of Object.entries({ budgetMinutes: 0, sparsity: 0.9, population: 8, generations: 3, parents: 3, epochs: 1, evalsPerRun: 1 })) await setOption(page, k, v);
  await expect(page.getByTestId('validation-message')).toHaveCount(0);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 10 * 60_000 });
  const download = page.waitForEvent('download');
  await page.getByTestId('download-report').click();
  return JSON.parse(fs.readFileSync(await (await download).path(), 'utf8')) as RunReport;
}

test('a search worker beside the compute worker gives the same search, two evaluations at a time', async ({ page }) => {
  test.setTimeout(20 * 60_000);
  const alone = await searchOnce(page, 0);
  const side = await searchOnce(page, 1);
  expect(alone.backend).toBe('wasm');
  expect(alone.timings.searchParallel).toBe(1);
  expect(side.timings.searchParallel).toBe(2);
  await expect(page.getByTestId('result-timings')).toContainText('2 side by side');
  await page.getByTestId('result-timings').screenshot({ path: path.join(REPO, 'test-results', 'search-workers-timings.png') });
  expect(side.layers.map((l) => l.targetSparsity)).toEqual(alone.layers.map((l) => l.targetSparsity));
  expect(side.search).toEqual(alone.search);
  const figures = { alone: alone.timings.searchSeconds, side: side.timings.searchSeconds, perEval: [alone.timings.fitnessSeconds, side.timings.fitnessSeconds] };
  fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'test-results', 'search-workers.json'), JSON.stringify(figures, null, 2));
  console.log(`demo search, 8 x 3 generations: ${JSON.stringify(figures)}`);
});
