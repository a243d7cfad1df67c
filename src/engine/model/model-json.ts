/**
 * Finds and validates a layers-model model.json among dropped files, as data only (JSON.parse).
 * Every problem becomes an InputError that says what the file is and what to drop instead.
 */
import type { NamedBytes } from '../../core/session-types';
import { InputError, errorMessage } from '../errors';
import { baseName, depth, dirName, normalizePath } from '../paths';
import { jsonErrorOffset, lineAndColumn } from './json-error';

/** A parsed, validated layers-model model.json. */
export interface ModelJsonFile {
  /** Normalised path of model.json among the dropped files. */
  path: string;
  /** Its folder ('' at the root); weight paths are relative to it. */
  dir: string;
  /** modelTopology as written (with or without the model_config wrapper). */
  modelTopology: Record<string, unknown>;
  /** The Keras model config: { class_name, config }. */
  modelConfig: { class_name: string; config: unknown };
  /** weightsManifest as written (checked in detail by the weight assembler). */
  weightsManifest: unknown[];
  /** userDefinedMetadata as written, when it is an object (e.g. { preprocess: 'symmetric' }). */
  userDefinedMetadata?: Record<string, unknown>;
}

const HOW_TO_GET =
  'Convert the Keras model with `tensorflowjs_converter --input_format=keras --output_format=tfjs_layers_model model.h5 out/` ' +
  '(or --input_format=keras_saved_model for a SavedModel) and drop the out/ folder.';

/** Picks the model.json among `files`: a file named model.json at the shallowest path, else a .json holding a modelTopology. */
export function pickModelJson(files: NamedBytes[]): NamedBytes {
  const byDepth = (a: NamedBytes, b: NamedBytes) =>
    depth(normalizePath(a.path)) - depth(normalizePath(b.path)) || a.path.localeCompare(b.path);
  const named = files.filter((f) => baseName(normalizePath(f.path)).toLowerCase() === 'model.json').sort(byDepth);
  if (named[0]) return named[0];
  const others = files
    .filter((f) => normalizePath(f.path).toLowerCase().endsWith('.json'))
    .filter((f) => bytesToText(f.bytes).includes('"modelTopology"'))
    .sort(byDepth);
  if (others[0]) return others[0];
  throw new InputError(
    null,
    `No model.json among the ${files.length} dropped file(s). Drop the folder written by tensorflowjs_converter: ` +
      'model.json plus its group*-shard*of* weight files.',
  );
}

/** Finds, parses and validates the layers-model model.json among `files`. */
export function readModelJson(files: NamedBytes[]): ModelJsonFile {
  const file = pickModelJson(files);
  const path = normalizePath(file.path);
  const name = baseName(path);
  const text = bytesToText(file.bytes);
  if (text.trim() === '') {
    throw new InputError(path, `${name}: the file is empty. Drop the model.json exported by tf.keras / tensorflowjs_converter.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      path,
      `${name}: not valid JSON (${describeJsonError(errorMessage(e), text)}). ` +
        'Drop the model.json exported by tf.keras / tensorflowjs_converter.',
    );
  }
  if (!isRecord(json)) {
    throw new InputError(path, `${name}: holds JSON but not a model (expected an object with modelTopology and weightsManifest). ${HOW_TO_GET}`);
  }
  const topology = json['modelTopology'];
  const isGraph = json['format'] === 'graph-model' || (isRecord(topology) && Array.isArray(topology['node']));
  if (isGraph) {
    throw new InputError(
      path,
      `${name}: this is a TF.js graph model (a frozen TensorFlow graph); the studio needs a layers model, whose layers ` +
        `it can prune and retrain. ${HOW_TO_GET}`,
    );
  }
  if (!isRecord(topology)) {
    throw new InputError(path, `${name}: has no modelTopology, so it is not a TF.js model. ${HOW_TO_GET}`);
  }
  const config = isRecord(topology['model_config']) ? topology['model_config'] : topology;
  if (typeof config['class_name'] !== 'string' || (!isRecord(config['config']) && !Array.isArray(config['config']))) {
    throw new InputError(path, `${name}: modelTopology is not a Keras layers model (no class_name/config). ${HOW_TO_GET}`);
  }
  const manifest = json['weightsManifest'];
  if (!Array.isArray(manifest)) {
    throw new InputError(
      path,
      `${name}: has no weightsManifest, so its weights cannot be found. Drop a model.json written by tensorflowjs_converter or model.save(), with its weight files.`,
    );
  }
  return {
    path,
    dir: dirName(path),
    modelTopology: topology,
    modelConfig: { class_name: config['class_name'], config: config['config'] },
    weightsManifest: manifest,
    ...(isRecord(json['userDefinedMetadata']) ? { userDefinedMetadata: json['userDefinedMetadata'] } : {}),
  };
}

/** Plain-object test for parsed JSON. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bytesToText(bytes: ArrayBuffer): string {
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/**
 * Turns "... at position 42" into "... at line 3" so the user can find it; drops V8's quoted
 * excerpt. Messages without a position (V8's "Unexpected token") get it from our own scan.
 */
function describeJsonError(message: string, text: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  const what = firstLine
    .replace(/,\s*(\.\.\.)?".*$/, '')
    .replace(/\s*(in JSON )?at position \d+.*$/, '')
    .trim();
  const m = /position (\d+)/.exec(message);
  const offset = m ? Number(m[1]) : jsonErrorOffset(text);
  return offset < 0 ? what : `${what} at line ${lineAndColumn(text, offset).line}`;
}
