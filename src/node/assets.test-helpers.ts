/**
 * The real models and photos the tests use. Most travel with the repository (public/); the
 * ImageNet sample photos may not be shipped (their licence does not allow it), so they come only
 * from ../shared/assets beside the checkout, and the tests that need them are skipped, saying
 * why, when it is absent.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root, wherever it is cloned. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Google's MobileNet v1 0.25 (Apache-2.0, NOTICE.md beside it), shipped as the studio's built-in model. */
export const MOBILENET_DIR = join(REPO_ROOT, 'public', 'models', 'mobilenet_v1_0.25_224');

/** What each asset of ../shared/assets is, and why it is not in the repository. */
const SHARED: Record<string, string> = {
  'imagenet-dev': 'ImageNet sample photos, whose licence does not allow shipping them',
};

/** The folders ../shared/assets is looked for in: beside the repository, or inside it. */
const SHARED_DIRS = [join(REPO_ROOT, '..', 'shared', 'assets'), join(REPO_ROOT, 'shared', 'assets')];

/**
 * ../shared/assets/`name` when it is there; otherwise null, and a line on stderr saying that
 * `what` is skipped and what is missing.
 */
export function sharedAsset(name: string, what: string): string | null {
  const found = SHARED_DIRS.map((d) => join(d, name)).find((p) => existsSync(p));
  if (found) return found;
  const why = SHARED[name] ?? 'not shipped with the repository';
  console.warn(`skipped: ${what} needs shared/assets/${name} (${why}); not found in ${SHARED_DIRS.join(' or ')}`);
  return null;
}
