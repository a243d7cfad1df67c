/** See bundle.mjs. */
export function bundleToCache(root: string, entry: string): string;
