/** Reading an .onnx file and the external-data files it names, from disk, for the CLI. */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { NamedBytes } from '../core/session-types';
import { decodeModel } from '../engine/onnx/proto/codec';

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/**
 * The .onnx plus every external-data file its initializers name that exists beside it; a missing
 * or unreadable one is left out so the importer reports it by name.
 */
export async function readOnnxFiles(onnxPath: string): Promise<NamedBytes[]> {
  const raw = await readFile(onnxPath);
  const files: NamedBytes[] = [{ path: basename(onnxPath), bytes: toArrayBuffer(raw) }];
  let locations: string[] = [];
  try {
    const graph = decodeModel(raw).graph;
    locations = (graph?.initializer ?? []).flatMap((t) => t.external_data.filter((e) => e.key === 'location').map((e) => e.value));
  } catch {
    return files;
  }
  for (const loc of [...new Set(locations)]) {
    try {
      files.push({ path: loc, bytes: toArrayBuffer(await readFile(join(dirname(onnxPath), loc))) });
    } catch {
      // Left out on purpose: the importer names the missing file.
    }
  }
  return files;
}
