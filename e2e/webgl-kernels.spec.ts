/**
 * The studio's WebGL kernels (radix-select magnitude masks, N:M masks, the masked update) against
 * the host reference, in the worker on the browser's WebGL, and their cost against the generic
 * ops they replace (printed for the record).
 */
import { expect, test } from '@playwright/test';
import { openStudio, waitIdle, watchConsole } from './helpers';

interface Cost {
  ms: number;
  dispatches: number;
}
interface Check {
  problem: string | null;
  timings: { kernel: string; shape: number[]; old: Cost; new: Cost }[];
}

test('the WebGL kernels build masks exactly like the host and update like the generic ops, in fewer shader runs', async ({ page }) => {
  test.setTimeout(15 * 60_000);
  const problems = watchConsole(page);
  await openStudio(page, 'backend=webgl&debug=faults');
  await expect(page.getByTestId('backend-name')).toHaveText('webgl');
  await waitIdle(page);
  const check = await page.evaluate(() => (globalThis as unknown as { ptsStudioFaults: { checkWebGlKernels(): Promise<Check> } }).ptsStudioFaults.checkWebGlKernels());
  // The self-test names each differing case and the number of places it differs in.
  expect(check.problem).toBeNull();
  for (const t of check.timings) {
    console.log(`${t.kernel} [${t.shape.join(', ')}]: generic ops ${t.old.ms} ms in ${t.old.dispatches} shader runs; WebGL kernels ${t.new.ms} ms in ${t.new.dispatches}`);
  }
  expect(check.timings.map((t) => t.kernel)).toEqual(['magnitude mask', 'magnitude mask', '2:4 mask', 'masked update', 'masked update (cached coef)']);
  // Ten draws a magnitude mask and one an N:M mask, each after one unpacking of the packed
  // weights generic ops leave; two draws an update, on packed textures as they come.
  expect(check.timings.map((t) => t.new.dispatches)).toEqual([11, 11, 2, 2, 2]);
  for (const t of check.timings) expect(t.new.dispatches).toBeLessThan(t.old.dispatches);
  expect(problems).toEqual([]);
});
