import * as tf from '@tensorflow/tfjs';
import { packMaskBits } from '../../core/deploy/mask-bits';
import type { KernelRef } from '../pipeline/weights';

/** Name of the single weight file of an exported model. */
export const WEIGHTS_FILE = 'weights.bin';

/** An exported TF.js layers model: model.json text and its one weight file. */
export interface ExportedModel {
  modelJson: string;
  weights: ArrayBuffer;
}

/** Serialises the model as TF.js layers files (reloadable with tf.loadLayersModel). */
export async function exportLayersModel(model: tf.LayersModel): Promise<ExportedModel> {
  let exported: ExportedModel | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData as ArrayBuffer | ArrayBuffer[] | undefined);
      const json = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'pts-studio',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        // Kept from the source model (e.g. its preprocessing), so the sparse model reloads the same way.
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      exported = { modelJson: JSON.stringify(json), weights };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
  if (!exported) throw new Error('Exporting the model produced no files.');
  return exported;
}

/** Masks of the exported kernels (1 = non-zero), bit-packed, with a JSON index. */
export async function exportMasks(
  kernels: KernelRef[],
  names: string[],
): Promise<{ masksJson: string; masks: ArrayBuffer; zeros: number[] }> {
  const parts: Uint8Array[] = [];
  const layers: { name: string; shape: number[]; offsetBytes: number; length: number; kept: number }[] = [];
  const zeros: number[] = [];
  let offset = 0;
  for (let i = 0; i < kernels.length; i++) {
    const k = kernels[i]!;
    const w = (await k.variable.read().data()) as Float32Array;
    const mask = new Uint8Array(w.length);
    let kept = 0;
    for (let j = 0; j < w.length; j++) if (w[j] !== 0) (mask[j] = 1), kept++;
    const bits = packMaskBits(mask);
    layers.push({ name: names[i]!, shape: k.shape, offsetBytes: offset, length: w.length, kept });
    zeros.push(w.length - kept);
    parts.push(bits);
    offset += bits.byteLength;
  }
  const all = new Uint8Array(offset);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.byteLength;
  }
  const index = {
    format: 'pts-masks-1',
    bitOrder: 'lsb-first',
    description: 'One bit per kernel weight in TF.js row-major order; 1 = kept (non-zero). Layer i occupies ceil(length/8) bytes at offsetBytes of masks.bin.',
    layers,
  };
  return { masksJson: JSON.stringify(index, null, 1), masks: all.buffer, zeros };
}
