/**
 * ONNX TensorProto -> ConstValue: typed fields, raw little-endian bytes, or bytes in an
 * external-data file dropped beside the .onnx.
 */
import { InputError } from '../errors';
import { baseName } from '../paths';
import { int } from './proto/codec';
import type { TensorProto } from './proto/types';
import { type ConstValue, constant, sizeOf } from './values';

/** External-data files by base name. */
export type ExternalFiles = Map<string, Uint8Array>;

const FLOAT = new Set([1, 10, 11]);
const BYTES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8 };
const NAMES: Record<number, string> = { 8: 'string', 14: 'complex64', 15: 'complex128', 16: 'bfloat16' };

/** float16 bits -> number. */
function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Reads `n` little-endian values of ONNX type `type` from `bytes`. */
function fromBytes(bytes: Uint8Array, type: number, n: number): Float64Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    switch (type) {
      case 1: out[i] = dv.getFloat32(i * 4, true); break;
      case 2: case 9: out[i] = dv.getUint8(i); break;
      case 3: out[i] = dv.getInt8(i); break;
      case 4: out[i] = dv.getUint16(i * 2, true); break;
      case 5: out[i] = dv.getInt16(i * 2, true); break;
      case 6: out[i] = dv.getInt32(i * 4, true); break;
      case 7: out[i] = Number(dv.getBigInt64(i * 8, true)); break;
      case 10: out[i] = half(dv.getUint16(i * 2, true)); break;
      case 11: out[i] = dv.getFloat64(i * 8, true); break;
      case 12: out[i] = dv.getUint32(i * 4, true); break;
      case 13: out[i] = Number(dv.getBigUint64(i * 8, true)); break;
    }
  }
  return out;
}

/** The bytes of an external-data tensor, from the dropped files. */
export function externalBytes(t: TensorProto, file: string, external: ExternalFiles): Uint8Array {
  const entry = (k: string) => t.external_data.find((e) => e.key === k)?.value;
  const location = entry('location') ?? '';
  const data = external.get(baseName(location));
  if (!data) {
    throw new InputError(
      location || file,
      `${file}: the weights of "${t.name}" are stored in the external file "${location}", which was not dropped. Drop ${location} together with ${baseName(file)}.`,
    );
  }
  const offset = Number(entry('offset') ?? 0);
  const length = entry('length') !== undefined ? Number(entry('length')) : data.byteLength - offset;
  if (offset + length > data.byteLength) {
    throw new InputError(location, `${location}: too short for "${t.name}" (needs bytes ${offset}..${offset + length}, has ${data.byteLength}); it does not belong to ${baseName(file)} or was cut off.`);
  }
  return data.subarray(offset, offset + length);
}

/** Decodes a TensorProto; InputError for types the importer does not read. */
export function tensorValue(t: TensorProto, file: string, external: ExternalFiles): ConstValue {
  const dims = t.dims.map(int);
  const n = sizeOf(dims);
  const type = t.data_type;
  if (BYTES[type] === undefined) {
    throw new InputError(file, `${file}: tensor "${t.name}" has element type ${NAMES[type] ?? `#${type}`}, which the importer does not read (float, double, float16 and integer tensors only).`);
  }
  const dtype = FLOAT.has(type) ? 'float' : type === 9 ? 'bool' : 'int';
  let values: ArrayLike<number>;
  if (t.data_location === 1 || t.external_data.length > 0) values = fromBytes(externalBytes(t, file, external), type, n);
  else if (t.raw_data && t.raw_data.byteLength > 0) values = fromBytes(t.raw_data, type, n);
  else if (type === 1 && t.float_data.length) values = t.float_data;
  else if (type === 11 && t.double_data.length) values = t.double_data;
  else if (type === 7 && t.int64_data.length) values = t.int64_data.map(int);
  else if ((type === 12 || type === 13) && t.uint64_data.length) values = t.uint64_data.map(int);
  else if (type === 10) values = t.int32_data.map(half);
  else values = t.int32_data;
  if (values.length !== n) {
    throw new InputError(file, `${file}: tensor "${t.name}" holds ${values.length} values for shape [${dims.join(', ')}] (${n}); the file is damaged or incomplete.`);
  }
  return constant(dims, values, dtype);
}
