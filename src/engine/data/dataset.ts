/**
 * Builds the image set from dropped files: decodes every image, sizes it to the model input,
 * labels it from its folder, and collects what could not be used instead of failing on it.
 */
import { Rng } from '../../core/rng';
import { emptyFileMessage } from '../../core/words/empty-input';
import type { DatasetSummary, InputProblem, NamedBytes } from '../../core/session-types';
import { InputError, errorMessage } from '../errors';
import { baseName, depth, normalizePath } from '../paths';
import { parseClassList, planLabels, unlabelledPlan } from './labels';
import { fitImage, storedToRgba, type InputGeometry } from './preprocess';
import type { Dataset, ImageDecoder } from './types';

export { parseClassList } from './labels';

/** Options of buildDataset. */
export interface BuildOptions {
  /** Class names by index; overrides a classes.txt among the files. */
  classList?: string[];
  /** Number of classes of the model (folder indices must be below it). */
  numClasses: number;
  /** Longest side a decoder may hold; larger images are shrunk or refused (default 4096). */
  maxSide?: number;
  /** Called after each image. */
  onProgress?: (done: number, total: number) => void;
  /** Checked between images; set `aborted` to stop with an AbortError. */
  signal?: { aborted: boolean };
  /** Ignore folder names: every image is unlabelled (folders that are not classes of the model). */
  unlabelled?: boolean;
}

const NOT_IMAGES = /\.(txt|json|md|csv|tsv|xml|ya?ml|html?|ini|log|py|ipynb|pdf|zip|tar|gz|db)$/i;
const THUMBNAILS = 8;

/** Files that are silently not images: known text/metadata files, hidden files, macOS debris. */
function isKnownNonImage(path: string): boolean {
  const name = baseName(path);
  return NOT_IMAGES.test(name) || name.startsWith('.') || path.split('/').includes('__MACOSX') || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

/** The folder every image file sits in (the name of the image folder), else "images". */
function dropName(paths: string[]): string {
  const tops = new Set(paths.map((p) => (p.includes('/') ? p.slice(0, p.indexOf('/')) : '')));
  const [top] = tops;
  return tops.size === 1 && top ? top : 'images';
}

/** The shallowest classes.txt / labels.txt among the files, parsed. */
function findClassList(files: NamedBytes[]): string[] | null {
  const lists = files
    .filter((f) => /^(classes|labels)\.txt$/i.test(baseName(normalizePath(f.path))))
    .sort((a, b) => depth(normalizePath(a.path)) - depth(normalizePath(b.path)));
  return lists[0] ? parseClassList(new TextDecoder().decode(lists[0].bytes)) : null;
}

/** Decodes, sizes and labels the images among `files`; InputError naming the image folder when none is usable. */
export async function buildDataset(
  files: NamedBytes[],
  decode: ImageDecoder,
  geometry: InputGeometry,
  opts: BuildOptions,
): Promise<{ dataset: Dataset; summary: DatasetSummary }> {
  const candidates = files.map((f) => ({ ...f, path: normalizePath(f.path) })).filter((f) => !isKnownNonImage(f.path));
  candidates.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const where = dropName(files.map((f) => normalizePath(f.path)));
  if (candidates.length === 0) {
    const names = files.slice(0, 3).map((f) => baseName(normalizePath(f.path))).join(', ') + (files.length > 3 ? `, and ${files.length - 3} more` : '');
    throw new InputError(where, `${where}: no image among its ${files.length} file(s) (${names}). Give a folder of JPEG, PNG or WebP images.`);
  }
  const classList = opts.classList ?? findClassList(files);
  const plan = opts.unlabelled ? unlabelledPlan(candidates.length) : planLabels(candidates.map((f) => f.path), opts.numClasses, classList, where);
  const { height, width, channels } = geometry;
  const size = height * width * channels;
  const pixels = new Uint8Array(size * candidates.length);
  const skipped: InputProblem[] = [...plan.problems];
  const labels: number[] = [];
  const paths: string[] = [];
  let count = 0;
  for (const [i, f] of candidates.entries()) {
    if (opts.signal?.aborted) throw abortError();
    // A zero-byte file is named as empty: "not an image" would send the user looking at its format.
    if (!plan.leftOut[i] && f.bytes.byteLength === 0) skipped.push({ file: f.path, message: emptyFileMessage(f.path) });
    else if (!plan.leftOut[i]) {
      try {
        const img = await decode(f.bytes, f.path, opts.maxSide ?? 4096);
        pixels.set(fitImage(img, geometry), count * size);
        labels.push(plan.labels[i] ?? -1);
        paths.push(f.path);
        count++;
      } catch (e) {
        const msg = errorMessage(e);
        skipped.push({ file: f.path, message: msg.includes(f.path) ? msg : `${f.path}: ${msg}` });
      }
    }
    opts.onProgress?.(i + 1, candidates.length);
  }
  if (count === 0) {
    const first = skipped[0]?.message ?? '';
    const none = candidates.length === 1 ? `its one image file could not be used (${first})` : `none of the ${candidates.length} image file(s) could be used (first problem: ${first})`;
    throw new InputError(where, `${where}: ${none}.`);
  }
  const labelled = plan.source !== 'none';
  const dataset: Dataset = {
    height,
    width,
    channels,
    squeezeChannel: geometry.squeezeChannel,
    pixels: pixels.subarray(0, count * size),
    count,
    labels: labelled ? Int32Array.from(labels) : null,
    paths,
    classNames: plan.classNames,
  };
  const nameOf = (c: number) => plan.classNames?.[c] ?? plan.folderOf.get(c) ?? String(c);
  const perClass = new Map<number, number>();
  if (labelled) for (const l of labels) perClass.set(l, (perClass.get(l) ?? 0) + 1);
  const warnings = [...plan.warnings];
  if (skipped.length > plan.problems.length) warnings.push(`${skipped.length - plan.problems.length} file(s) could not be decoded and were skipped.`);
  const summary: DatasetSummary = {
    count,
    skipped,
    labelled,
    perClass: [...perClass.entries()].sort((a, b) => a[0] - b[0]).map(([classIndex, n]) => ({ classIndex, name: nameOf(classIndex), count: n })),
    labelSource: plan.source,
    thumbnails: thumbnailPicks(labelled ? labels : null, count).map((i) => ({
      path: paths[i]!,
      width,
      height,
      rgba: storedToRgba(dataset, i),
      label: labelled ? nameOf(labels[i]!) : null,
    })),
    warnings,
  };
  return { dataset, summary };
}

/** Which images to show as thumbnails: the first of each class in turn, so every class shows. */
export function thumbnailPicks(labels: readonly number[] | null, count: number): number[] {
  if (!labels) return Array.from({ length: Math.min(count, THUMBNAILS) }, (_, i) => i);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const list = byClass.get(labels[i]!) ?? [];
    list.push(i);
    byClass.set(labels[i]!, list);
  }
  const queues = [...byClass.entries()].sort((a, b) => a[0] - b[0]).map(([, list]) => list);
  const out: number[] = [];
  for (let round = 0; out.length < Math.min(count, THUMBNAILS); round++) {
    for (const q of queues) if (round < q.length && out.length < THUMBNAILS) out.push(q[round]!);
  }
  return out;
}

function abortError(): Error {
  const e = new Error('Loading images was cancelled.');
  e.name = 'AbortError';
  return e;
}

/**
 * Seeded split into calibration and held-out indices (both ascending). Stratified when labelled:
 * each class contributes about `fraction` of its images, and classes too small for that take
 * part in a random draw, so one image per class still yields a held-out set.
 */
export function splitHeldOut(count: number, fraction: number, seed: number, labels: Int32Array | null): { calib: number[]; heldOut: number[] } {
  const rng = new Rng(seed);
  let k = fraction > 0 ? Math.round(count * fraction) : 0;
  if (fraction > 0 && count >= 2) k = Math.min(Math.max(k, 1), count - 1);
  const all = Array.from({ length: count }, (_, i) => i);
  let order: number[];
  if (!labels) {
    order = rng.shuffle(all);
  } else {
    const groups = new Map<number, number[]>();
    for (const i of all) {
      const members = groups.get(labels[i]!);
      if (members) members.push(i);
      else groups.set(labels[i]!, [i]);
    }
    const keyed: { key: number; idx: number }[] = [];
    for (const label of [...groups.keys()].sort((a, b) => a - b)) {
      const members = rng.shuffle(groups.get(label)!);
      const u = rng.next();
      members.forEach((idx, j) => keyed.push({ key: (j + u) / members.length, idx }));
    }
    order = keyed.sort((a, b) => a.key - b.key || a.idx - b.idx).map((e) => e.idx);
  }
  const asc = (a: number, b: number) => a - b;
  return { heldOut: order.slice(0, k).sort(asc), calib: order.slice(k).sort(asc) };
}
