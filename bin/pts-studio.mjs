#!/usr/bin/env node
// The pts-studio command: the headless CLI over the same engine as the studio.
import { runTs } from './run-ts.mjs';

await runTs('src/cli/main.ts', process.argv.slice(2));
