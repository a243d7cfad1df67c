/**
 * Builds a tf.LayersModel from dropped files (model.json + weight shards), turning every way
 * that can fail into an InputError a user can act on.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedBytes } from '../../core/session-types';
import { InputError, errorMessage } from '../errors';
import { baseName } from '../paths';
import { isRecord, readModelJson } from './model-json';
import { assembleWeights } from './weights';
import { findOnnxFile, importOnnx, type OnnxSource } from '../onnx/import-model';

export { readModelJson } from './model-json';

/** Loads the layers model among `files`; throws InputError naming the file and the problem. */
export async function loadModelFromFiles(files: NamedBytes[]): Promise<tf.LayersModel> {
  const mj = readModelJson(files);
  const { weightSpecs, weightData } = assembleWeights(mj.path, mj.weightsManifest, files);
  try {
    // trainingConfig is left out: the studio compiles nothing, and an unknown loss must not block loading.
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: mj.modelTopology, weightSpecs, weightData, ...(mj.userDefinedMetadata ? { userDefinedMetadata: mj.userDefinedMetadata } : {}) }),
    );
  } catch (e) {
    throw rephrase(errorMessage(e), mj.path, mj.modelConfig);
  }
}

/** A dropped .onnx (+ external data) or model.json (+ shards); `onnx` is set for ONNX models. */
export async function loadAnyModel(files: NamedBytes[]): Promise<{ model: tf.LayersModel; onnx: OnnxSource | null }> {
  if (findOnnxFile(files)) return importOnnx(files).then(({ model, source }) => ({ model, onnx: source }));
  return { model: await loadModelFromFiles(files), onnx: null };
}

/** Turns a TF.js deserialisation error into a message that names the layer and the fix. */
function rephrase(message: string, path: string, config: unknown): InputError {
  const name = baseName(path);
  const first = message.split('\n')[0] ?? message;
  const unknown = /^Unknown (layer|activation|initializer|regularizer|constraint|object): ([^\s.]+)/.exec(first);
  if (unknown) {
    const [, kind, cls] = unknown as unknown as [string, string, string];
    if (kind === 'layer') {
      const users = layersOfClass(config, cls);
      const which = users.length > 0 ? `layer${users.length > 1 ? 's' : ''} ${users.map((u) => `"${u}"`).join(', ')}` : 'a layer';
      return new InputError(
        path,
        `${name}: ${which} of class "${cls}", which TF.js does not know (a custom layer, or one TF.js has not ported). ` +
          'The studio can only load models built from layers TF.js provides; rebuild the model with standard Keras layers and convert it again.',
      );
    }
    return new InputError(
      path,
      `${name}: uses the ${kind} "${cls}", which TF.js does not know. Replace it with a standard Keras ${kind} and convert the model again.`,
    );
  }
  if (/weight|variable|shape mismatch/i.test(first)) {
    return new InputError(
      path,
      `${name}: the weight files do not match the layers (${first}). Drop model.json together with the shards exported with it.`,
    );
  }
  return new InputError(path, `${name}: TF.js could not build the model (${first}). Check that it was exported as a TF.js layers model.`);
}

/** Names of layers with Keras class `cls`, searching nested models too. */
function layersOfClass(node: unknown, cls: string): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
      return;
    }
    if (!isRecord(v)) return;
    if (v['class_name'] === cls) {
      const cfg = v['config'];
      const n = v['name'] ?? (isRecord(cfg) ? cfg['name'] : undefined);
      if (typeof n === 'string') out.push(n);
    }
    for (const value of Object.values(v)) {
      if (typeof value === 'object') visit(value);
    }
  };
  visit(node);
  return out;
}
