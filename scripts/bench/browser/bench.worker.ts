/**
 * The bench's browser worker, like the studio's (TF.js off the page's thread, wasm with the
 * studio's gradient kernels): starts one backend and runs the shared measurements on the models
 * served from public/.
 */
import * as Comlink from 'comlink';
import { benchBackend } from '../measure';
import type { BenchRow, Budget } from '../rows';
import { fetchModelFiles } from './fetch-model';
import { startBackend } from './start-backend';

/** The backend as the bench names it (wasm-mt runs on wasm). */
let bench = '';

const api = {
  /** Switches to `backend`; resolves to the WebGPU adapter's text (null elsewhere), rejects with why it cannot. */
  start: (backend: string): Promise<string | null> => {
    bench = backend;
    return startBackend(backend);
  },

  /** Every bench model on the started backend, each row sent to `onRow` as soon as it is done. */
  async measure(budget: Budget, log: (line: string) => void, onRow: (row: BenchRow) => void): Promise<void> {
    // public/ is served at the site root, the model fixtures under /fixtures/ (browser-run.ts).
    const load = (m: { path: string }) => fetchModelFiles(new URL(`/${m.path}`, self.location.href));
    await benchBackend('chromium', load, budget, log, onRow, bench);
  },
};

/** What the page calls. */
export type BenchWorkerApi = typeof api;

Comlink.expose(api);
