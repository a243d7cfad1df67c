/** A model folder served over HTTP as the loader's NamedBytes, the way readModelFolder reads one from disk. */
import type { NamedBytes } from '../../../src/core/session-types';

async function get(url: URL): Promise<ArrayBuffer> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url.pathname}: HTTP ${r.status}`);
  return r.arrayBuffer();
}

/** model.json at `url` plus every weight file its manifest names, paths relative to its folder. */
export async function fetchModelFiles(url: URL): Promise<NamedBytes[]> {
  const json = await get(url);
  const { weightsManifest } = JSON.parse(new TextDecoder().decode(json)) as { weightsManifest?: { paths?: string[] }[] };
  const paths = [...new Set((weightsManifest ?? []).flatMap((g) => g.paths ?? []))];
  const name = url.pathname.split('/').pop() ?? 'model.json';
  const shards = await Promise.all(paths.map(async (path) => ({ path, bytes: await get(new URL(path, url)) })));
  return [{ path: name, bytes: json }, ...shards];
}
