/**
 * Teachable Machine's own library on a Teachable Machine folder: an isolated page (its own
 * origin, nothing of the studio) loads TF.js 1.3.1 and @teachablemachine/image 0.8.5 from their
 * UMD bundles, as a Teachable Machine user's page would, and predicts one 224x224 image.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { REPO } from './helpers';

const ORIGIN = 'http://teachable-check.test';
const SCRIPTS: Record<string, string> = {
  'tf.min.js': path.join(REPO, 'node_modules/tfjs-1.3.1/dist/tf.min.js'),
  'teachablemachine-image.min.js': path.join(REPO, 'node_modules/@teachablemachine/image/dist/teachablemachine-image.min.js'),
};
const PAGE = `<!doctype html><meta charset="utf-8"><title>Teachable Machine check</title>
<script src="/tf.min.js"></script><script src="/teachablemachine-image.min.js"></script>`;

/** True when both libraries are installed (devDependencies tfjs-1.3.1 and @teachablemachine/image). */
export function teachableLibraryInstalled(): boolean {
  return Object.values(SCRIPTS).every((f) => fs.existsSync(f));
}

/** RGBA pixels -> what tmImage.load(...).predict(canvas) says, on TF.js 1.3.1's CPU backend. */
export async function predictWithTeachableLibrary(
  context: BrowserContext,
  folder: string,
  rgba: number[],
): Promise<{ tfjs: string; labels: string[]; probabilities: number[] }> {
  const page = await context.newPage();
  try {
    await page.route(`${ORIGIN}/**`, async (route) => {
      const name = new URL(route.request().url()).pathname.slice(1);
      if (name === '' || name === 'index.html') return route.fulfill({ contentType: 'text/html', body: PAGE });
      const file = SCRIPTS[name] ?? (['model.json', 'weights.bin', 'metadata.json'].includes(name) ? path.join(folder, name) : null);
      if (!file || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ contentType: name.endsWith('.js') ? 'text/javascript' : name.endsWith('.json') ? 'application/json' : 'application/octet-stream', body: fs.readFileSync(file) });
    });
    await page.goto(`${ORIGIN}/index.html`);
    return await page.evaluate(async (px) => {
      const g = globalThis as unknown as {
        tf: { version: { tfjs: string }; setBackend(b: string): Promise<boolean> };
        tmImage: { load(m: string, meta: string): Promise<{ getClassLabels(): string[]; predict(c: HTMLCanvasElement): Promise<{ className: string; probability: number }[]> }> };
      };
      await g.tf.setBackend('cpu');
      const model = await g.tmImage.load('/model.json', '/metadata.json');
      const canvas = document.createElement('canvas');
      canvas.width = 224;
      canvas.height = 224;
      canvas.getContext('2d')!.putImageData(new ImageData(Uint8ClampedArray.from(px), 224, 224), 0, 0);
      const out = await model.predict(canvas);
      return { tfjs: g.tf.version.tfjs, labels: model.getClassLabels(), probabilities: out.map((o) => o.probability) };
    }, rgba);
  } finally {
    await page.close();
  }
}
