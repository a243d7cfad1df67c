/**
 * The repository's root folder, for files the Node side finds beside its sources (the search worker's entry, the
 * cache under node_modules). bin/run-ts.mjs sets PTS_STUDIO_ROOT when it runs a bundled entry, whose own location is
 * the cache; run from the sources (tsx, the tests), it is two folders above this file.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT: string = process.env.PTS_STUDIO_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');
