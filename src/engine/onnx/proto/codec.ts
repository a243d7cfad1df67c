/**
 * Reading and writing ONNX files with protobufjs (a maintained protobuf runtime that works in
 * browsers and Node) over the official schema in onnx-schema.ts.
 */
import protobuf from 'protobufjs/light.js';
import { ONNX_SCHEMA } from './onnx-schema';
import type { ModelProto } from './types';

let modelType: protobuf.Type | null = null;

function type(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  return modelType;
}

/** Decodes an .onnx file; throws protobufjs's error on malformed bytes. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return type().decode(bytes) as unknown as ModelProto;
}

/** Encodes a (possibly edited) decoded model back to .onnx bytes (a standalone array, offset 0). */
export function encodeModel(model: ModelProto): Uint8Array {
  const bytes = type().encode(model as unknown as protobuf.Message).finish();
  // In Node, protobufjs returns a Buffer that may be a view into a shared pool.
  const out = new Uint8Array(bytes.byteLength);
  out.set(bytes);
  return out;
}

/** A protobuf int64 as a JS number (protobufjs gives Long objects when long.js is present). */
export function int(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}
