/** The CLI's model input and ONNX output: --model may name a model.json or an .onnx file. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NamedBytes, RunArtifacts } from '../core/session-types';
import { readModelFolder } from '../node/files';
import { readOnnxFiles } from '../node/onnx-files';

/** The files of the model at `path`: an .onnx with its external data, or model.json with its shards. */
export function readModelFiles(path: string): Promise<NamedBytes[]> {
  return /\.onnx$/i.test(path) ? readOnnxFiles(path) : readModelFolder(path);
}

/** Writes <out>/model.onnx for ONNX runs; returns the name written, or null. */
export async function writeOnnxModel(out: string, result: RunArtifacts): Promise<string | null> {
  if (!result.onnx) return null;
  await writeFile(join(out, 'model.onnx'), new Uint8Array(result.onnx));
  return 'model.onnx';
}
