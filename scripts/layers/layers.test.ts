/**
 * The layering rules (.dependency-cruiser.cjs) on a fixture tree with one deliberate violation of
 * each: every rule fires where it should and nowhere else, and the project itself passes.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const config = createRequire(import.meta.url)(path.join(root, '.dependency-cruiser.cjs')) as IConfiguration;

async function violations(baseDir: string): Promise<string[]> {
  const out = await cruise(['src', 'workers'], {
    ruleSet: { forbidden: config.forbidden ?? [] },
    validate: true,
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    baseDir,
  });
  const result = out.output as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe('layering rules', () => {
  it('catch each deliberate violation in the fixture', async () => {
    const found = await violations(path.join(here, 'fixture'));
    const tf = found.find((v) => v.startsWith('core-is-pure: src/core/uses-tfjs.ts -> ') && v.includes('node_modules/@tensorflow/'));
    expect(tf, found.join('\n')).toBeDefined();
    expect(found.filter((v) => v !== tf)).toEqual([
      'core-is-pure: src/core/uses-tfjs.ts -> src/engine/uses-worker.ts',
      'engine-below-workers-and-ui: src/engine/uses-worker.ts -> workers/uses-ui.ts',
      'no-test-code-in-production: src/ui/uses-test-helper.ts -> src/ui/helper.test-helpers.ts',
      'ui-imports-worker-api-as-type: src/ui/uses-runtime.ts -> workers/uses-ui.ts',
      'ui-never-imports-engine: src/ui/uses-runtime.ts -> src/engine/uses-worker.ts',
      'workers-below-ui: workers/uses-ui.ts -> src/ui/uses-type.ts',
    ]);
  });

  it('find nothing in the project', async () => {
    expect(await violations(root)).toEqual([]);
  });
});
