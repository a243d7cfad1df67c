/**
 * Every kind of bad input, fed through the page's real file inputs on top of the loaded demo:
 * each must be answered by a message naming the file and the problem, while the demo model, its
 * images and the Run button stay as they were. Writes test-results/bad-inputs.md: case, file, message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { badModels, hugePng, smallPng, truncatedJpeg, type UploadFile } from './bad-fixtures';
import { REPO, openStudio, setOption, waitIdle, watchConsole } from './helpers';

interface Row {
  case: string;
  file: string;
  message: string;
}

/** What each broken model must be told: the file named and the problem, as a pattern. */
const MODEL_ANSWERS: Record<string, { file: string; problem: RegExp }> = {
  'model.json that is not JSON': { file: 'model.json', problem: /not valid JSON \(Unexpected token 'o' at line 3\)/ },
  'graph model, not a layers model': { file: 'model.json', problem: /graph model.*needs a layers model.*--output_format=tfjs_layers_model/ },
  'missing weight shard': { file: 'group1-shard1of1.bin', problem: /weight file named in model\.json is missing/ },
  'shard of the wrong size': { file: 'group1-shard1of1.bin', problem: /expected 7080 bytes.*holds 7072 bytes/ },
  'manifest names an unknown dtype': { file: 'model.json', problem: /dtype "float64", which TF\.js cannot load/ },
  'layer class TF.js does not know': { file: 'model.json', problem: /layer "flat" of class "FancyFlatten", which TF\.js does not know/ },
  'no prunable layer': { file: 'model.json', problem: /no prunable layer\. The studio prunes the kernels of Conv2D/ },
  'output is not a class score vector': { file: 'model.json', problem: /output has shape \[batch, 6, 6, 2\], not a class score vector.*\[batch, classes\]/ },
};

/** Writes `files` (relative path -> bytes) under a fresh folder `name` and returns its path. */
function folder(name: string, files: Record<string, Buffer | string>): string {
  const root = path.join(test.info().outputPath(), name);
  for (const [rel, bytes] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), bytes);
  }
  return root;
}

const image = (name: string, buffer: Buffer): UploadFile => ({ name, mimeType: 'image/png', buffer });

test('bad inputs are named and explained, and the loaded demo survives them', async ({ page }) => {
  test.setTimeout(6 * 60_000);
  const problems = watchConsole(page);
  await openStudio(page, 'backend=wasm');
  await waitIdle(page);
  const modelName = (await page.getByTestId('model-name').textContent())!;
  const datasetCount = (await page.getByTestId('dataset-count').textContent())!;
  expect(modelName).toMatch(/cifar/i);
  const rows: Row[] = [];

  /** Feeds one bad input and checks the banner and that nothing loaded before was lost. */
  async function expectRefused(name: string, file: string, problem: RegExp, feed: () => Promise<void>): Promise<void> {
    await test.step(name, async () => {
      await feed();
      const banner = page.getByTestId('error-banner');
      await expect(banner).toHaveCount(1, { timeout: 60_000 });
      await waitIdle(page);
      const message = (await banner.locator('.banner-text').textContent()) ?? '';
      rows.push({ case: name, file, message });
      expect.soft(message, name).toContain(file);
      expect.soft(message, name).toMatch(problem);
      await expect(page.getByTestId('model-name')).toHaveText(modelName);
      await expect(page.getByTestId('dataset-count')).toHaveText(datasetCount);
      await expect(page.getByTestId('run-button')).toBeEnabled();
      await page.getByTestId('error-dismiss').click();
      await expect(banner).toHaveCount(0);
    });
  }
  const models = (files: UploadFile[]) => () => page.getByTestId('model-files-input').setInputFiles(files);
  const images = (files: UploadFile[]) => () => page.getByTestId('images-files-input').setInputFiles(files);
  const imageFolder = (dir: string) => () => page.getByTestId('images-folder-input').setInputFiles(dir);

  try {
    for (const [name, files] of Object.entries(await badModels())) {
      const answer = MODEL_ANSWERS[name]!;
      await expectRefused(name, answer.file, answer.problem, models(files));
    }
    await expectRefused('an image that is not an image', 'notes.jpg', /notes\.jpg: not a JPEG, PNG or WebP image/,
      images([image('notes.jpg', Buffer.from('These are my holiday notes, not a photo.'))]));
    await expectRefused('a truncated JPEG', 'cut.jpg', /cut\.jpg: the JPEG is truncated/,
      images([{ name: 'cut.jpg', mimeType: 'image/jpeg', buffer: truncatedJpeg() }]));
    // A real 12000x12000 PNG (144 megapixels): refused from its header, before any decoding.
    await expectRefused('a 12000x12000 image', 'huge.png', /huge\.png: 12000x12000 pixels is larger than the 4096-pixel limit.*downscale it first/,
      images([image('huge.png', await hugePng(12000))]));
    await expectRefused('zero images (a folder holding only a text file)', 'notes-only', /no image.*notes\.txt/i,
      imageFolder(folder('notes-only', { 'notes.txt': 'nothing to see' })));
    await expectRefused('folder named by a class index the model lacks', 'indexed/12', /folder name "12" reads as a class index, but the model has 10 classes/,
      imageFolder(folder('indexed', { '12/a.png': smallPng(10), '3/b.png': smallPng(20) })));
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`pet${i}/a.png`, smallPng(i * 20)]));
    await expectRefused('more class folders than the model has classes', 'pets', /11 class folders but the model has 10 classes/,
      imageFolder(folder('pets', many)));

    await test.step('invalid settings', async () => {
      const message = page.getByTestId('validation-message');
      await setOption(page, 'sparsity', 1.5);
      await expect(message).toHaveCount(1);
      rows.push({ case: 'a sparsity outside (0, 1)', file: '(settings)', message: (await message.textContent()) ?? '' });
      await expect(message).toContainText('Target sparsity must be between 0 and 1');
      await expect(page.getByTestId('run-button')).toBeDisabled();
      await setOption(page, 'sparsity', 0.5);
      await setOption(page, 'pattern', 'nm');
      await setOption(page, 'nm-n', 4);
      await setOption(page, 'nm-m', 4);
      await expect(message).toHaveCount(1);
      rows.push({ case: 'N:M with N >= M', file: '(settings)', message: (await message.textContent()) ?? '' });
      await expect(message).toContainText('N < M');
      await setOption(page, 'nm-n', 2);
      await expect(message).toHaveCount(0);
      await expect(page.getByTestId('run-button')).toBeEnabled();
    });

    // Last, since it replaces the images: folder names are matched to the demo's class names,
    // and the folder matching none is left out by name.
    await test.step('folder names partly matching the model classes', async () => {
      await imageFolder(folder('pets-named', { 'cat/a.png': smallPng(1), 'dog/b.png': smallPng(2), 'zebra/c.png': smallPng(3) }))();
      await expect(page.getByTestId('dataset-count')).toHaveText('2');
      await waitIdle(page);
      const skipped = page.getByTestId('dataset-skipped');
      await skipped.locator('summary').click();
      const message = (await skipped.locator('li').first().textContent()) ?? '';
      rows.push({ case: 'folder names partly matching the classes (listed as skipped)', file: 'pets-named/zebra', message });
      expect.soft(message).toMatch(/^pets-named\/zebra: folder name "zebra" matches no class in the class list; its 1 image\(s\) are left out/);
      await expect(page.getByTestId('dataset-classes')).toHaveText(/cat\s*1\s*dog\s*1/);
      await expect(page.getByTestId('dataset-classes').locator('[title="class 3"]')).toContainText('cat');
      await expect(page.getByTestId('dataset-classes').locator('[title="class 5"]')).toContainText('dog');
      await expect(page.getByTestId('model-name')).toHaveText(modelName);
      await expect(page.getByTestId('run-button')).toBeEnabled();
    });
  } finally {
    writeTable(rows);
  }
  expect(problems.filter((p) => p.startsWith('page error'))).toEqual([]);
});

function writeTable(rows: Row[]): void {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
  const lines = ['| Case | File | Message shown |', '| --- | --- | --- |', ...rows.map((r) => `| ${cell(r.case)} | ${cell(r.file)} | ${cell(r.message)} |`)];
  fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'test-results', 'bad-inputs.md'), lines.join('\n') + '\n');
}
