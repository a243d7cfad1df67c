import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Cross-origin isolation, so SharedArrayBuffer (wasm threads) can be turned on later. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The built app needs no eval and no third-party origin: scripts and workers come from our
 * origin, wasm needs 'wasm-unsafe-eval', recharts and React set inline style attributes, and
 * thumbnails / downloads use blob: and data: URLs.
 */
const csp = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // The worker's heavy dependencies, pre-bundled up front so the dev server does not reload mid-start.
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', 'comlink', 'fflate'] },
  server: { headers: isolation },
  preview: { headers: { ...isolation, 'Content-Security-Policy': csp } },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
