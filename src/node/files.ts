/** Reading dropped-file equivalents from disk for the CLI: a folder of images, a model folder. */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { NamedBytes } from '../core/session-types';

/** A standalone ArrayBuffer holding exactly the file's bytes (Node may pool small reads). */
function toArrayBuffer(buf: Buffer): ArrayBuffer {
  const out = new ArrayBuffer(buf.byteLength);
  new Uint8Array(out).set(buf);
  return out;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => {
      const full = join(dir, e.name);
      // Follow symbolic links the way a file picker would (stat resolves them).
      const kind = e.isSymbolicLink() ? await stat(full).catch(() => null) : e;
      if (kind?.isDirectory()) return listFiles(full);
      return kind?.isFile() ? [full] : [];
    }),
  );
  return nested.flat();
}

/** Every file under `dir`, recursively, as '/'-separated paths relative to `dir`, sorted. */
export async function readFolder(dir: string): Promise<NamedBytes[]> {
  const paths = (await listFiles(dir)).map((f) => relative(dir, f).split(sep).join('/')).sort();
  return Promise.all(paths.map(async (path) => ({ path, bytes: toArrayBuffer(await readFile(join(dir, path))) })));
}

/**
 * model.json plus the weight files its manifest names, from its folder. A missing shard is left
 * out so the loader reports it by name; unparsable JSON is returned as is for the same reason.
 */
export async function readModelFolder(modelJsonPath: string): Promise<NamedBytes[]> {
  const raw = await readFile(modelJsonPath);
  const files: NamedBytes[] = [{ path: basename(modelJsonPath), bytes: toArrayBuffer(raw) }];
  let manifest: unknown;
  try {
    manifest = (JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, '')) as { weightsManifest?: unknown }).weightsManifest;
  } catch {
    return files;
  }
  if (!Array.isArray(manifest)) return files;
  const dir = dirname(modelJsonPath);
  const paths = manifest.flatMap((g: { paths?: unknown }) => (Array.isArray(g?.paths) ? g.paths.map(String) : []));
  for (const p of [...new Set(paths)]) {
    try {
      files.push({ path: p, bytes: toArrayBuffer(await readFile(join(dir, p))) });
    } catch {
      // Left out on purpose: the loader names the missing shard.
    }
  }
  return files;
}
