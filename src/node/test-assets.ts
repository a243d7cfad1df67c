/** Locates ../shared/assets (real models and images for tests) from this file, wherever the repo is cloned. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of shared/assets beside the repo (or inside it); throws with a clear message when absent. */
export function sharedAssetsDir(): string {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const candidates = [join(repoRoot, '..', 'shared', 'assets'), join(repoRoot, 'shared', 'assets')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`shared/assets not found (looked in ${candidates.join(' and ')}); clone shared/ beside the repo`);
  return found;
}
