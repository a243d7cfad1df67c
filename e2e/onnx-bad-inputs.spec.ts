/**
 * The bad ONNX inputs (the same table the Node test uses) fed through the page's model file
 * input on top of the loaded demo: each answered by a banner naming the file and the problem,
 * while the demo model and its images stay. Writes test-results/onnx-bad-inputs.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { BAD_ONNX } from '../src/engine/onnx/bad-cases.test-helpers';
import { REPO, openStudio, waitIdle, watchConsole } from './helpers';

test('bad ONNX files are named and explained, and the loaded demo survives them', async ({ page }) => {
  test.setTimeout(6 * 60_000);
  const problems = watchConsole(page);
  await openStudio(page, 'backend=wasm');
  await waitIdle(page);
  const modelName = (await page.getByTestId('model-name').textContent())!;
  const datasetCount = (await page.getByTestId('dataset-count').textContent())!;
  const rows: string[] = ['| Case | File | Message shown |', '| --- | --- | --- |'];
  for (const c of BAD_ONNX) {
    await test.step(c.case, async () => {
      const files = c.files().map((f) => ({ name: path.basename(f.path), mimeType: 'application/octet-stream', buffer: Buffer.from(f.bytes) }));
      await page.getByTestId('model-files-input').setInputFiles(files);
      const banner = page.getByTestId('error-banner');
      await expect(banner).toHaveCount(1, { timeout: 60_000 });
      await waitIdle(page);
      const message = (await banner.locator('.banner-text').textContent()) ?? '';
      rows.push(`| ${c.case} | ${c.file} | ${message.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()} |`);
      expect.soft(message, c.case).toContain(c.file);
      expect.soft(message, c.case).toMatch(c.problem);
      await expect(page.getByTestId('model-name')).toHaveText(modelName);
      await expect(page.getByTestId('dataset-count')).toHaveText(datasetCount);
      await expect(page.getByTestId('run-button')).toBeEnabled();
      await page.getByTestId('error-dismiss').click();
      await expect(banner).toHaveCount(0);
    });
  }
  fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'test-results', 'onnx-bad-inputs.md'), rows.join('\n') + '\n');
  expect(problems.filter((p) => p.startsWith('page error'))).toEqual([]);
});
