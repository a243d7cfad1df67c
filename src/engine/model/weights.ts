/**
 * Checks a weightsManifest against the dropped shard files and concatenates the shards in
 * manifest order, naming any missing or mis-sized shard and any dtype TF.js cannot read.
 */
import type * as tf from '@tensorflow/tfjs';
import type { NamedBytes } from '../../core/session-types';
import { InputError } from '../errors';
import { baseName, joinPath, normalizePath } from '../paths';
import { isRecord } from './model-json';

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const QUANT_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };
const RECONVERT = 'Re-export the model with tensorflowjs_converter (default float32 weights).';

/** Weight specs and the concatenated shard bytes, ready for tf.io.fromMemory. */
export interface AssembledWeights {
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

/** Validates `manifest` (from the model.json at `modelJsonPath`) and joins its shards from `files`. */
export function assembleWeights(modelJsonPath: string, manifest: unknown[], files: NamedBytes[]): AssembledWeights {
  const jsonName = baseName(modelJsonPath);
  const dir = modelJsonPath.includes('/') ? modelJsonPath.slice(0, modelJsonPath.lastIndexOf('/')) : '';
  const byPath = new Map(files.map((f) => [normalizePath(f.path), f] as const));
  const specs: tf.io.WeightsManifestEntry[] = [];
  const groups: { paths: string[]; expected: number; shards: (NamedBytes | undefined)[] }[] = [];
  for (const [gi, group] of manifest.entries()) {
    if (!isRecord(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      throw new InputError(modelJsonPath, `${jsonName}: weightsManifest entry ${gi} has no paths/weights lists. ${RECONVERT}`);
    }
    let expected = 0;
    for (const w of group['weights'] as unknown[]) {
      const spec = checkSpec(w, modelJsonPath, jsonName);
      expected += weightBytes(spec);
      specs.push(spec);
    }
    const paths = (group['paths'] as unknown[]).map(String);
    const shards = paths.map((p) => findShard(joinPath(dir, p), p, byPath, files));
    groups.push({ paths, expected, shards });
  }
  const missing = groups.flatMap((g) => g.paths.filter((_, i) => g.shards[i] === undefined));
  if (missing.length > 0) {
    const list = missing.length > 5 ? `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more` : missing.join(', ');
    throw new InputError(
      joinPath(dir, missing[0] ?? ''),
      `${missing[0]}: weight file named in ${jsonName} is missing (missing: ${list}). ` +
        `Drop the whole model folder: ${jsonName} together with all its group*-shard*of* files.`,
    );
  }
  let total = 0;
  for (const g of groups) {
    const actual = g.shards.reduce((s, f) => s + (f?.bytes.byteLength ?? 0), 0);
    if (actual !== g.expected) {
      const names = g.paths.join(' + ');
      throw new InputError(
        joinPath(dir, g.paths[0] ?? ''),
        `${names}: expected ${g.expected} bytes for the weights ${jsonName} lists in it but the file${g.paths.length > 1 ? 's hold' : ' holds'} ` +
          `${actual} bytes. The shard is truncated or belongs to another model; copy the model folder again.`,
      );
    }
    total += actual;
  }
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const g of groups) {
    for (const f of g.shards) {
      if (!f) continue;
      weightData.set(new Uint8Array(f.bytes), offset);
      offset += f.bytes.byteLength;
    }
  }
  return { weightSpecs: specs, weightData: weightData.buffer };
}

/** Bytes one weight takes in its shard. */
export function weightBytes(spec: tf.io.WeightsManifestEntry): number {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const per = spec.quantization ? QUANT_BYTES[spec.quantization.dtype] : DTYPE_BYTES[spec.dtype];
  return n * (per ?? 0);
}

function checkSpec(w: unknown, path: string, jsonName: string): tf.io.WeightsManifestEntry {
  if (!isRecord(w) || typeof w['name'] !== 'string' || !Array.isArray(w['shape'])) {
    throw new InputError(path, `${jsonName}: a weightsManifest weight has no name or shape. ${RECONVERT}`);
  }
  const name = w['name'];
  const shape = w['shape'] as unknown[];
  if (!shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new InputError(path, `${jsonName}: weight "${name}" has an invalid shape ${JSON.stringify(shape)}. ${RECONVERT}`);
  }
  const dtype = String(w['dtype']);
  if (!(dtype in DTYPE_BYTES)) {
    throw new InputError(
      path,
      `${jsonName}: weight "${name}" has dtype "${dtype}", which TF.js cannot load (supported: float32, int32, bool). ${RECONVERT}`,
    );
  }
  const q = w['quantization'];
  if (q !== undefined && (!isRecord(q) || !(String(q['dtype']) in QUANT_BYTES))) {
    const qd = isRecord(q) ? String(q['dtype']) : String(q);
    throw new InputError(
      path,
      `${jsonName}: weight "${name}" is quantized as "${qd}", which TF.js cannot load (supported: uint8, uint16, float16). ${RECONVERT}`,
    );
  }
  return w as unknown as tf.io.WeightsManifestEntry;
}

/** The shard at its manifest path, else the only dropped file with the same name. */
function findShard(full: string, rel: string, byPath: Map<string, NamedBytes>, files: NamedBytes[]): NamedBytes | undefined {
  const exact = byPath.get(full);
  if (exact) return exact;
  const name = baseName(normalizePath(rel));
  const same = files.filter((f) => baseName(normalizePath(f.path)) === name);
  return same.length === 1 ? same[0] : undefined;
}
