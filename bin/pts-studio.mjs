#!/usr/bin/env node
// The pts-studio command: the headless CLI over the same engine as the studio.
import { runBundled } from './run-ts.mjs';

await runBundled('src/cli/main.ts', process.argv.slice(2));
