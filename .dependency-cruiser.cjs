/**
 * The layering of STYLE.md, checked on every `npm test` (scripts/check-layers.mjs):
 * core <- engine <- workers <- ui, each importing only the layers below it; the UI reaches the
 * worker through its API type alone; production code never imports tests or test helpers.
 * Tests (x.test.ts) and test helpers (x.test-helpers.ts: a `test-` prefix would be ambiguous
 * beside production names such as pipeline/test-stage.ts) may reach across layers.
 * "No DOM in core" is the compiler's job: tsconfig.core.json has no DOM lib.
 */
const TEST = '\\.test(-helpers)?\\.tsx?$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'src/core is plain TypeScript: it imports only src/core (no TF.js, no DOM libraries, no npm packages, no Node modules).',
      severity: 'error',
      from: { path: '^src/core/', pathNot: TEST },
      to: { pathNot: '^src/core/' },
    },
    {
      name: 'engine-below-workers-and-ui',
      comment: 'src/engine (TF.js) imports neither the worker, nor the UI, nor the Node entry points.',
      severity: 'error',
      from: { path: '^src/engine/', pathNot: TEST },
      to: { path: '^(workers|src/ui|src/cli|src/node)/' },
    },
    {
      name: 'workers-below-ui',
      comment: 'workers/ serve the UI; they never import it (nor the Node entry points).',
      severity: 'error',
      from: { path: '^workers/', pathNot: TEST },
      to: { path: '^(src/ui|src/cli|src/node)/' },
    },
    {
      name: 'ui-never-imports-engine',
      comment: 'src/ui runs on the page: TF.js and the engine live in the worker.',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^(src/engine|src/node|src/cli)/|(^|/)node_modules/@tensorflow/' },
    },
    {
      name: 'ui-imports-worker-api-as-type',
      comment: 'src/ui reaches the worker through `import type { Api }` only; the worker\'s code is loaded by `new Worker(...)`.',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^workers/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'node-entry-not-browser',
      comment: 'The Node CLI drives the engine directly: it imports neither the worker nor the UI.',
      severity: 'error',
      from: { path: '^src/(cli|node)/', pathNot: TEST },
      to: { path: '^(workers|src/ui)/' },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'Production code imports no tests and no test helpers (*.test-helpers.ts).',
      severity: 'error',
      from: { path: '^(src|workers)/', pathNot: TEST },
      to: { path: TEST },
    },
  ],
  options: {
    // Type-only imports count (and are labelled), so the UI's `import type` of the worker API is seen.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
