/**
 * The studio's WebGPU and WebGL kernels (radix-select magnitude masks, N:M masks, the masked
 * update) against the host reference, in the worker on the browser's GPU backend, and their cost
 * against the generic ops they replace (printed for the record).
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
type Hook = 'checkWebGpuKernels' | 'checkWebGlKernels';

const BACKENDS: { backend: string; label: string; hook: Hook; unit: string; runs: number[] }[] = [
  { backend: 'webgpu', label: 'WebGPU', hook: 'checkWebGpuKernels', unit: 'dispatches', runs: [6, 6, 1, 2, 2] },
  // Ten draws a magnitude mask and one an N:M mask, each after one unpacking of the packed
  // weights generic ops leave; two draws an update, on packed textures as they come.
  { backend: 'webgl', label: 'WebGL', hook: 'checkWebGlKernels', unit: 'shader runs', runs: [11, 11, 2, 2, 2] },
];

for (const b of BACKENDS) {
  test(`the ${b.label} kernels build masks exactly like the host and update like the generic ops, in fewer ${b.unit}`, async ({ page }) => {
    test.setTimeout(15 * 60_000);
    const problems = watchConsole(page);
    await openStudio(page, `backend=${b.backend}&debug=faults`);
    await expect(page.getByTestId('backend-name')).toHaveText(b.backend);
    await waitIdle(page);
    const check = await page.evaluate((hook) => (globalThis as unknown as { ptsStudioFaults: Record<Hook, () => Promise<Check>> }).ptsStudioFaults[hook](), b.hook);
    // The self-test names each differing case and the number of places it differs in.
    expect(check.problem).toBeNull();
    for (const t of check.timings) {
      console.log(`${t.kernel} [${t.shape.join(', ')}]: generic ops ${t.old.ms} ms in ${t.old.dispatches} ${b.unit}; ${b.label} kernels ${t.new.ms} ms in ${t.new.dispatches}`);
    }
    expect(check.timings.map((t) => t.kernel)).toEqual(['magnitude mask', 'magnitude mask', '2:4 mask', 'masked update', 'masked update (cached coef)']);
    expect(check.timings.map((t) => t.new.dispatches)).toEqual(b.runs);
    for (const t of check.timings) expect(t.new.dispatches).toBeLessThan(t.old.dispatches);
    expect(problems).toEqual([]);
  });
}
