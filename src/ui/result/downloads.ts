/** Turns a run's artifacts into files the user can download. */
import { strToU8, zipSync } from 'fflate';
import type { RunArtifacts } from '../../core/session-types';

/** The weight file name model.json expects (the session writes one shard). */
export function weightFileName(modelJson: string): string {
  const parsed = JSON.parse(modelJson) as { weightsManifest?: { paths?: string[] }[] };
  const paths = (parsed.weightsManifest ?? []).flatMap((g) => g.paths ?? []);
  if (paths.length > 1) throw new Error(`model.json lists ${paths.length} weight files; the export writes one.`);
  return paths[0] ?? 'weights.bin';
}

/** The sparse model: model.json + its weights, zipped, loadable with tf.loadLayersModel. */
export function modelZip(a: RunArtifacts): Uint8Array {
  return zipSync({ 'model.json': strToU8(a.modelJson), [weightFileName(a.modelJson)]: new Uint8Array(a.weights) }, { level: 6 });
}

/** The masks: a JSON index of layers plus the packed bits. */
export function masksZip(a: RunArtifacts): Uint8Array {
  return zipSync({ 'masks.json': strToU8(a.masksJson), 'masks.bin': new Uint8Array(a.masks) }, { level: 6 });
}

/** Everything a run produced in one archive: model (and model.onnx for ONNX runs), masks, N:M file, recipe and report. */
export function runZip(a: RunArtifacts): Uint8Array {
  return zipSync(
    {
      'model.json': strToU8(a.modelJson),
      [weightFileName(a.modelJson)]: new Uint8Array(a.weights),
      'masks.json': strToU8(a.masksJson),
      'masks.bin': new Uint8Array(a.masks),
      ...(a.nmPacked ? { 'nm-packed.ptsnm': new Uint8Array(a.nmPacked) } : {}),
      ...(a.onnx ? { 'model.onnx': new Uint8Array(a.onnx) } : {}),
      'recipe.json': strToU8(a.recipeJson),
      'report.json': strToU8(JSON.stringify(a.report, null, 2)),
    },
    { level: 6 },
  );
}

/** "mobilenet-sparse-50" style stem for the downloaded files. */
export function fileStem(modelName: string, sparsity: number): string {
  const name = modelName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'model';
  return `${name}-sparse-${Math.round(sparsity * 100)}`;
}

/** Saves bytes or text through a temporary link. */
export function saveFile(name: string, data: Uint8Array | string, type: string): void {
  const blob = new Blob([typeof data === 'string' ? data : new Uint8Array(data)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
