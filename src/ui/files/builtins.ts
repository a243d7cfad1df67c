/**
 * The built-in starting points: the CIFAR-10 demo (a tiny model + images, described by a
 * manifest) and Google's MobileNet v1 0.25, both served from public/.
 */
import { PREPROCESS_PRESETS, type Preprocess } from '../../core/options';
import { parseClassList } from './class-list';
import type { SourceFile } from './source-file';

const BASE = import.meta.env.BASE_URL;
const DEMO_MANIFEST = `${BASE}demo/cifar10/manifest.json`;
const MOBILENET_JSON = `${BASE}models/mobilenet_v1_0.25_224/model.json`;

export interface BuiltinInputs {
  name: string;
  model: SourceFile[];
  images: SourceFile[];
  classList?: string[];
  preprocess?: Preprocess;
}

/** Thrown when a built-in is simply not installed (a notice, not an error). */
export class MissingBuiltin extends Error {}

/** Vite's preview answers unknown paths with index.html, so "ok" alone does not mean found. */
async function fetchJson(url: string): Promise<unknown | undefined> {
  const res = await fetch(url);
  if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return undefined;
  return res.json();
}

async function fetchFile(base: URL, path: string): Promise<SourceFile> {
  const res = await fetch(new URL(path, base));
  if (!res.ok) throw new Error(`${path}: download failed (HTTP ${res.status}).`);
  return { path, blob: await res.blob() };
}

/** Fetches at most `width` files at a time. */
async function fetchAll(base: URL, paths: readonly string[], width = 8): Promise<SourceFile[]> {
  const out: SourceFile[] = new Array(paths.length);
  let next = 0;
  const lane = async () => {
    while (next < paths.length) {
      const i = next++;
      out[i] = await fetchFile(base, paths[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, paths.length) }, lane));
  return out;
}

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) {
    throw new Error(`demo manifest: "${what}" must be a list of file paths.`);
  }
  return value;
}

/** Puts the model's files in a folder named `folder`: the engine names a model after its folder. */
function inFolder(files: SourceFile[], folder: string): SourceFile[] {
  const json = files.find((f) => /(^|\/)model\.json$/i.test(f.path)) ?? files[0];
  const dir = json && json.path.includes('/') ? json.path.slice(0, json.path.lastIndexOf('/') + 1) : '';
  return files.map((f) => ({ ...f, path: folder + '/' + (f.path.startsWith(dir) ? f.path.slice(dir.length) : f.path) }));
}

export async function fetchDemo(): Promise<BuiltinInputs> {
  const url = new URL(DEMO_MANIFEST, location.href);
  const manifest = (await fetchJson(url.href)) as Record<string, unknown> | undefined;
  if (!manifest) throw new MissingBuiltin('The CIFAR-10 demo is not installed here (public/demo/cifar10/manifest.json is missing). Load your own model and images below, or try MobileNet.');
  const name = typeof manifest.name === 'string' ? manifest.name : 'CIFAR-10 demo';
  const model = inFolder(await fetchAll(url, stringList(manifest.model, 'model')), 'cifar10-demo');
  const images = await fetchAll(url, stringList(manifest.images, 'images'));
  let classList: string[] | undefined;
  if (Array.isArray(manifest.classList)) classList = stringList(manifest.classList, 'classList');
  else if (typeof manifest.classList === 'string') {
    const file = await fetchFile(url, manifest.classList);
    classList = parseClassList(await file.blob.text(), manifest.classList);
  }
  const pre = manifest.preprocess;
  const preprocess = PREPROCESS_PRESETS.find((p) => p === pre);
  return { name, model, images, ...(classList ? { classList } : {}), ...(preprocess ? { preprocess } : {}) };
}

export async function fetchMobileNet(): Promise<BuiltinInputs> {
  const url = new URL(MOBILENET_JSON, location.href);
  const json = (await fetchJson(url.href)) as { weightsManifest?: { paths: string[] }[] } | undefined;
  if (!json) throw new MissingBuiltin('MobileNet is not installed here (public/models/mobilenet_v1_0.25_224/model.json is missing).');
  const shards = (json.weightsManifest ?? []).flatMap((g) => g.paths);
  const jsonFile = { path: 'model.json', blob: new Blob([JSON.stringify(json)], { type: 'application/json' }) };
  const model = inFolder([jsonFile, ...(await fetchAll(url, shards))], 'mobilenet_v1_0.25_224');
  return { name: 'MobileNet v1 0.25 (ImageNet)', model, images: [], preprocess: 'symmetric' };
}
