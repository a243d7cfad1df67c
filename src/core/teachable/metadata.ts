/**
 * Teachable Machine's metadata.json: the file its image-model export writes beside model.json
 * and weights.bin. It carries the class labels (line i = output i) and the input size; the
 * model expects RGB scaled to [-1, 1] (`symmetric`), resized and centre-cropped to a square.
 */
import type { Preprocess } from '../options';

/** The fields Teachable Machine writes (image projects), as read. */
export interface TeachableMetadata {
  /** TF.js version the export was written with. */
  tfjsVersion: string;
  /** Teachable Machine version. */
  tmVersion: string;
  /** Version of the @teachablemachine/image package. */
  packageVersion: string;
  /** "@teachablemachine/image". */
  packageName: string;
  /** ISO time of the export. */
  timeStamp: string;
  /** Free-form user data (kept as given). */
  userMetadata: Record<string, unknown>;
  /** Model name shown by Teachable Machine. */
  modelName: string;
  /** Class label per output, in output order. */
  labels: string[];
  /** Side of the square input, in pixels. */
  imageSize: number;
}

/** Preprocessing of every Teachable Machine image model: RGB / 127.5 - 1. */
export const TEACHABLE_PREPROCESS: Preprocess = 'symmetric';

const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);

/**
 * Reads metadata.json text; throws an Error naming `file` when it is not a Teachable Machine
 * image export's metadata (no label list of strings).
 */
export function parseTeachableMetadata(text: string, file = 'metadata.json'): TeachableMetadata {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${file}: expected a JSON object with "labels".`);
  const m = raw as Record<string, unknown>;
  const labels = m.labels;
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'string')) {
    throw new Error(`${file}: "labels" must be a non-empty list of class names, as Teachable Machine writes it.`);
  }
  const size = typeof m.imageSize === 'number' && Number.isInteger(m.imageSize) && m.imageSize > 0 ? m.imageSize : 224;
  const user = m.userMetadata;
  return {
    tfjsVersion: str(m.tfjsVersion, ''),
    tmVersion: str(m.tmVersion, ''),
    packageVersion: str(m.packageVersion, ''),
    packageName: str(m.packageName, '@teachablemachine/image'),
    timeStamp: str(m.timeStamp, ''),
    userMetadata: typeof user === 'object' && user !== null && !Array.isArray(user) ? (user as Record<string, unknown>) : {},
    modelName: str(m.modelName, 'tm-my-image-model'),
    labels: labels as string[],
    imageSize: size,
  };
}

/** True when a file list holds a Teachable Machine export: metadata.json in the folder of model.json. */
export function teachableMetadataPath(paths: readonly string[]): string | null {
  const json = paths.find((p) => /(^|\/)model\.json$/i.test(p));
  if (!json) return null;
  const dir = json.slice(0, json.length - 'model.json'.length);
  return paths.find((p) => p.toLowerCase() === `${dir}metadata.json`.toLowerCase()) ?? null;
}

/**
 * metadata.json for the sparse model: the source's fields kept (labels, size, versions), the
 * time stamp new, and what the studio did recorded under userMetadata.ptsStudio.
 */
export function sparseTeachableMetadata(
  source: TeachableMetadata,
  sparse: { tfjsVersion: string; sparsity: number; pattern: string; timeStamp: string },
): TeachableMetadata {
  return {
    ...source,
    tfjsVersion: sparse.tfjsVersion,
    timeStamp: sparse.timeStamp,
    userMetadata: { ...source.userMetadata, ptsStudio: { sparsity: sparse.sparsity, pattern: sparse.pattern } },
  };
}
