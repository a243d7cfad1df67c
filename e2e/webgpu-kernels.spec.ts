/**
 * The studio's WebGPU kernels (radix-select magnitude masks, N:M masks, the fused masked update)
 * against the host reference, in the worker on the browser's WebGPU, and their cost against the
 * generic ops they replace (printed for the record).
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

test('the WebGPU kernels build masks exactly like the host and update like the generic ops, in fewer dispatches', async ({ page }) => {
  test.setTimeout(15 * 60_000);
  const problems = watchConsole(page);
  await openStudio(page, 'backend=webgpu&debug=faults');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await waitIdle(page);
  const check = await page.evaluate(() => (globalThis as unknown as { ptsStudioFaults: { checkWebGpuKernels(): Promise<Check> } }).ptsStudioFaults.checkWebGpuKernels());
  // The self-test names each differing case and the number of places it differs in.
  expect(check.problem).toBeNull();
  for (const t of check.timings) {
    console.log(`${t.kernel} [${t.shape.join(', ')}]: generic ops ${t.old.ms} ms in ${t.old.dispatches} dispatches; WebGPU kernels ${t.new.ms} ms in ${t.new.dispatches}`);
  }
  expect(check.timings.map((t) => t.kernel)).toEqual(['magnitude mask', 'magnitude mask', '2:4 mask', 'masked update', 'masked update (cached coef)']);
  expect(check.timings.map((t) => t.new.dispatches)).toEqual([6, 6, 1, 2, 2]);
  for (const t of check.timings) expect(t.new.dispatches).toBeLessThan(t.old.dispatches);
  expect(problems).toEqual([]);
});
