import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** Cross-origin isolation: SharedArrayBuffer, so wasm runs with threads. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The built app needs no eval and no third-party origin: scripts and workers come from our
 * origin, wasm needs 'wasm-unsafe-eval', recharts and React set inline style attributes, and
 * thumbnails / downloads use blob: and data: URLs.
 */
const cspFor = (scripts: string) => [
  "default-src 'self'",
  `script-src ${scripts}`,
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');
const pageCsp = cspFor("'self' 'wasm-unsafe-eval'");
/**
 * The compute worker alone may also run blob: scripts: TF.js's threaded wasm starts its helper
 * threads from scripts it assembles in memory. A worker's CSP comes from its own response, and
 * those helper threads inherit it; the page, which renders everything the user sees, keeps the
 * stricter policy.
 */
const workerCsp = cspFor("'self' 'wasm-unsafe-eval' blob:");
const isWorkerScript = (url: string) => /\/assets\/studio\.worker-[\w-]+\.js(\?|$)/.test(url);

/**
 * TF.js's threaded wasm loader hands its helper threads its own factory as source text
 * (Function.toString), but that factory reads `_scriptDir` from the closure around it. Minified,
 * the closure variable gets a one-letter name and its `typeof` guard is dropped, so every helper
 * thread dies with "e is not defined". In a worker that variable is always undefined (no
 * document, no __filename), so the closure's copy is renamed away: the factory's reads become
 * guarded global reads that survive minification. The build fails if the text is not found, so
 * a TF.js upgrade cannot silently drop the threads.
 */
function wasmThreadsFactory(): Plugin {
  const outer = "var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;\n  if (typeof __filename !== 'undefined') _scriptDir = _scriptDir || __filename;";
  return {
    name: 'pts-wasm-threads-factory',
    apply: 'build',
    transform(code, id) {
      if (!/tfjs-backend-wasm-threaded-simd\.js$/.test(id.split('?')[0]!)) return null;
      if (!code.includes(outer)) this.error(`${id}: the threaded wasm loader changed; check wasmThreadsFactory in vite.config.ts`);
      return { code: code.replace(outer, 'var _scriptDirOfLoader = undefined;'), map: null };
    },
  };
}

/** Sets the CSP per response on `vite preview` (the served build the e2e tests run). */
function previewCsp(): Plugin {
  return {
    name: 'pts-preview-csp',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        res.setHeader('Content-Security-Policy', isWorkerScript(req.url ?? '') ? workerCsp : pageCsp);
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), previewCsp()],
  worker: { format: 'es', plugins: () => [wasmThreadsFactory()] },
  // The worker's heavy dependencies, pre-bundled up front so the dev server does not reload mid-start.
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', 'comlink', 'fflate'] },
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
