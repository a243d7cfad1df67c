/**
 * The production build (the `vite build` this suite serves) keeps the kernel checks out of what
 * the page and the worker load at start: they sit in chunks of their own that the worker
 * imports only for the `?debug=faults` hooks (workers/debug-api.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { REPO } from './helpers';

const DIST = path.join(REPO, 'dist');

/** Text each kernel-check module keeps through minification (its messages and case names). */
const MARKERS: Record<string, string> = {
  'src/engine/webgpu/kernel-self-test.ts': 'kernel returns the wrong shape',
  'src/engine/webgl/kernel-self-test.ts': 'not WebGL 2 with float32 render targets',
  'src/engine/webgpu/kernel-bench.ts': 'Kernel timings need the webgpu backend',
  'src/engine/webgl/kernel-bench.ts': 'Kernel timings need WebGL 2',
  'src/engine/gpu-kernel-bench.ts': 'masked update (cached coef)',
};

const chunkText = (name: string) => readFileSync(path.join(DIST, 'assets', name), 'utf8');

/** `entry` and every chunk it imports, statically only or with dynamic imports too. */
function closure(entry: string, dynamic: boolean): Set<string> {
  const seen = new Set<string>();
  const pattern = dynamic ? /(?:from|import)\s*\(?\s*["'`]\.\/([\w.-]+\.js)["'`]/g : /(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g;
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const m of chunkText(name).matchAll(pattern)) visit(m[1]!);
  };
  visit(entry);
  return seen;
}

test('the kernel checks are in no chunk the page or the worker loads at start, only in lazy ones', () => {
  const chunks = readdirSync(path.join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
  const pageEntries = [...readFileSync(path.join(DIST, 'index.html'), 'utf8').matchAll(/\/assets\/([\w.-]+\.js)/g)].map((m) => m[1]!);
  const workerEntries = chunks.filter((f) => /^studio\.worker-[\w-]+\.js$/.test(f));
  expect(pageEntries.length, 'the page script in dist/index.html').toBeGreaterThan(0);
  expect(workerEntries, 'one main chunk of the studio worker').toHaveLength(1);
  const atStart = new Set([...pageEntries, ...workerEntries].flatMap((e) => [...closure(e, false)]));
  const onDemand = closure(workerEntries[0]!, true);
  for (const [file, marker] of Object.entries(MARKERS)) {
    expect(readFileSync(path.join(REPO, file), 'utf8'), `${file} still says "${marker}"`).toContain(marker);
    const holders = chunks.filter((f) => chunkText(f).includes(marker));
    expect(holders.length, `${file} is built into some chunk`).toBeGreaterThan(0);
    for (const h of holders) {
      expect(atStart.has(h), `${file} is in ${h}, which loads at start`).toBe(false);
      expect(onDemand.has(h), `${file}'s chunk ${h} is reachable from the worker by a dynamic import`).toBe(true);
    }
  }
});
