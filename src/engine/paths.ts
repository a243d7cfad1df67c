/** '/'-separated path helpers for dropped files (no Node 'path' module: the engine runs in a worker). */

/** Backslashes to '/', no leading './' or '/', '.' and '..' segments resolved. */
export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

/** The folder part of a normalised path ('' at the root). */
export function dirName(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** The last segment of a path. */
export function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Number of folders above the file. */
export function depth(p: string): number {
  return p.split('/').length - 1;
}

/** Joins a folder and a relative path, normalised. */
export function joinPath(dir: string, rel: string): string {
  return normalizePath(dir === '' ? rel : `${dir}/${rel}`);
}
