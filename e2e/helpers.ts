/** Shared steps of the browser tests. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));

export const REPO = path.resolve(here, '..');
/** Real assets: those in the repository, and sharedAsset for the photos that may not be shipped. */
export { MOBILENET_DIR, sharedAsset } from '../src/node/assets.test-helpers';

/** Console errors and CSP violations seen on a page, to assert there were none. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' || /Content Security Policy/i.test(text)) problems.push(text);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

/** Opens the studio (with `query`, e.g. "backend=wasm") and waits for the worker to pick a backend. */
export async function openStudio(page: Page, query = ''): Promise<void> {
  await page.goto(query ? `/?${query}` : '/');
  await expect(page.getByRole('heading', { name: 'PTS Studio' })).toBeVisible();
  await expect(page.getByTestId('backend-name')).not.toHaveText(/starting|…/, { timeout: 120_000 });
}

/** Waits until the worker is idle (no "Reading…" / "Downloading…" indicator). */
export async function waitIdle(page: Page, timeout = 180_000): Promise<void> {
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout });
}

/** Sets a numeric or select option through its control (opening collapsed groups first). */
export async function setOption(page: Page, key: string, value: string | number): Promise<void> {
  await page.$$eval('details.field-group', (ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));
  const control = page.getByTestId(`opt-${key}`);
  if ((await control.evaluate((el) => el.tagName)) === 'SELECT') await control.selectOption(String(value));
  else await control.fill(String(value));
}
