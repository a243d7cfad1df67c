/**
 * The browser half of `npm run bench`: serves scripts/bench/browser/ with Vite's dev server
 * (public/ as its static root, so the page fetches the same model files the app ships, and the
 * model fixtures under /fixtures/; the production build never sees the page) and drives the system Chromium through it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import type { BackendResult } from './browser/page';
import { BENCH_FIXTURES_DIR, type Budget } from './rows';

const TYPES: Record<string, string> = { json: 'application/json', bin: 'application/octet-stream' };

/** Serves the repository's model fixtures under /fixtures/ as plain files (public/ is the static root). */
function fixtures(root: string) {
  const dir = resolve(root, BENCH_FIXTURES_DIR);
  return {
    name: 'bench-fixtures',
    configureServer(server: { middlewares: { use(path: string, fn: (req: { url?: string }, res: { setHeader(k: string, v: string): void; end(b: Buffer): void }, next: () => void) => void): void } }) {
      server.middlewares.use('/fixtures', (req, res, next) => {
        const file = resolve(dir, `.${decodeURIComponent((req.url ?? '').split('?')[0]!)}`);
        if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('Content-Type', TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream');
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        res.end(readFileSync(file));
      });
    },
  };
}

/** The same flags as the e2e tests; WebGPU needs --enable-unsafe-webgpu on Linux (SwiftShader). */
const CHROME_ARGS = ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** What the browser run found: the browser's version and each backend's result. */
export interface BrowserRun {
  browser: string;
  results: { backend: string; result: BackendResult }[];
}

/**
 * Runs every backend in `backends` in one page, one fresh worker each, under `budget`; a backend
 * still busy after `limitMs` is stopped and its unfinished models say so.
 */
export async function runInBrowser(root: string, backends: string[], budget: Budget, limitMs: number, log: (line: string) => void): Promise<BrowserRun> {
  const server = await createServer({
    configFile: false,
    root: join(root, 'scripts/bench/browser'),
    publicDir: join(root, 'public'),
    // Its own cache, so it never races the app's dev server over node_modules/.vite.
    cacheDir: join(root, 'node_modules/.vite-bench'),
    logLevel: 'warn',
    plugins: [fixtures(root)],
    worker: { format: 'es' },
    // Everything the worker imports is pre-bundled up front: a dependency found mid-run would reload the page.
    optimizeDeps: { entries: ['index.html', 'bench.worker.ts'], include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm', 'comlink'] },
    // Cross-origin isolated like the studio, so wasm runs with threads.
    server: { host: '127.0.0.1', port: 5199, hmr: false, watch: null, fs: { allow: [root] }, headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: CHROME_ARGS });
  try {
    if (!url) throw new Error('the Vite server reported no URL');
    const page = await browser.newPage();
    // Vite's client chatters on console.debug; the worker's progress comes as console.log.
    page.on('console', (m) => m.type() !== 'debug' && log(m.text()));
    page.on('response', (r) => r.status() >= 400 && log(`HTTP ${r.status()} ${r.url()}`));
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(url);
    await page.waitForFunction(() => typeof window.runBench === 'function', null, { timeout: 120_000 });
    const results: BrowserRun['results'] = [];
    for (const backend of backends) {
      results.push({ backend, result: await page.evaluate(([b, bud, ms]) => window.runBench(b, bud, ms), [backend, budget, limitMs] as const) });
    }
    return { browser: `Chromium ${browser.version()}`, results };
  } finally {
    await browser.close();
    await server.close();
  }
}
