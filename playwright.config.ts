import { defineConfig } from '@playwright/test';

/**
 * Browser tests against the production build (`vite preview`, with its strict CSP and
 * cross-origin isolation headers). Software WebGPU (SwiftShader) is slow, hence one worker and
 * long timeouts. The browser is the system Chromium; `npx playwright install` is not used.
 */
/** PTS_E2E_PORT lets two checkouts run their browser tests side by side. */
const PORT = Number(process.env.PTS_E2E_PORT ?? 4173);

/** Chromium flags; WebGPU needs --enable-unsafe-webgpu on Linux (SwiftShader without a GPU). */
const BASE_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 10 * 60_000,
  expect: { timeout: 60_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'webgpu',
      testIgnore: /fallback\.spec\.ts/,
      use: { launchOptions: { executablePath, args: [...BASE_ARGS, '--enable-unsafe-webgpu'] } },
    },
    {
      // The same browser without WebGPU: the worker must fall back and say why.
      name: 'no-webgpu',
      testMatch: /fallback\.spec\.ts/,
      use: { launchOptions: { executablePath, args: BASE_ARGS } },
    },
  ],
  webServer: {
    command: `npx vite build && npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}`,
    timeout: 180_000,
    // Always a fresh build: a server left running would serve stale files.
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
