/**
 * The sparse model as a Teachable Machine folder: model.json, weights.bin and metadata.json,
 * the three files Teachable Machine's image export writes, so the model goes back to the tools
 * that read them (tmImage.load, tf.loadLayersModel) and into this studio again.
 */
import { sparseTeachableMetadata, type TeachableMetadata } from './metadata';

/** File name -> contents of the folder. */
export type TeachableFolder = Record<'model.json' | 'weights.bin' | 'metadata.json', string | Uint8Array>;

/**
 * `modelJson` must name exactly one weight file; it is renamed weights.bin (as Teachable
 * Machine names it). The metadata keeps the source's labels and image size.
 */
export function teachableFolder(
  modelJson: string,
  weights: ArrayBuffer,
  source: TeachableMetadata,
  sparse: { tfjsVersion: string; sparsity: number; pattern: string; timeStamp: string },
): TeachableFolder {
  const json = JSON.parse(modelJson) as { weightsManifest?: { paths: string[]; weights: unknown[] }[] } & Record<string, unknown>;
  const groups = json.weightsManifest ?? [];
  const paths = groups.flatMap((g) => g.paths);
  if (paths.length !== 1) throw new Error(`The sparse model lists ${paths.length} weight files; a Teachable Machine folder holds one (weights.bin).`);
  const model = { ...json, weightsManifest: groups.map((g) => ({ ...g, paths: ['weights.bin'] })) };
  return {
    'model.json': JSON.stringify(model),
    'weights.bin': new Uint8Array(weights),
    'metadata.json': JSON.stringify(sparseTeachableMetadata(source, sparse), null, 2),
  };
}
