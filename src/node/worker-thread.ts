/**
 * A worker thread running one of src/node's entries: the TypeScript entry bundled once per
 * process (bin/bundle.mjs), or, where esbuild cannot build, its .mjs twin that compiles it
 * through tsx (which took 65 MB more and started slower), with its messages, errors and exit
 * reported to the caller's handlers.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bundleToCache } from '../../bin/bundle.mjs';
import { REPO_ROOT } from './repo-root';

const entries = new Map<string, URL>();

function entryOf(name: string): URL {
  const known = entries.get(name);
  if (known) return known;
  const here = join(REPO_ROOT, 'src/node');
  let url: URL;
  try {
    url = pathToFileURL(bundleToCache(REPO_ROOT, join(here, `${name}-main.ts`)));
  } catch {
    url = pathToFileURL(join(here, `${name}.mjs`));
  }
  entries.set(name, url);
  return url;
}

/** The run's end of a thread: post (with buffers to transfer), listen, terminate. */
export interface ThreadPort<To, From> {
  post(message: To): void;
  listen(onMessage: (m: From) => void, onStop: (why: string) => void): void;
  terminate(): Promise<unknown> | void;
}

/** Starts `<name>-main.ts` (e.g. "fitness-worker") in a thread with `workerData`; `transfer` picks a message's buffers to move, not copy. */
export function startThread<To, From>(name: string, workerData: unknown, transfer: (m: To) => ArrayBuffer[] = () => []): ThreadPort<To, From> {
  const worker = new Worker(entryOf(name), { workerData });
  return {
    post: (m) => worker.postMessage(m, transfer(m)),
    listen(onMessage, onStop) {
      worker.on('message', (m: From) => onMessage(m));
      worker.on('error', (e) => onStop(`failed: ${e.message}`));
      worker.on('exit', (code) => onStop(`exited (code ${code})`));
    },
    terminate: () => worker.terminate(),
  };
}
