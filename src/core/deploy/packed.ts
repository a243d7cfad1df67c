/**
 * Writer and reader of N:M-packed weights (layout in docs/nm-packed-format.md): per group the
 * N kept float32 values and their positions in the group, bit-packed. The reader rebuilds the
 * dense kernels with zeros in place.
 */
import { groupStart, nmGeometry } from '../nm/groups';
import { checkNm } from '../nm/validity';
import { readBits, writeBits } from './bit-stream';
import { FIXED_BYTES, MAGIC, VERSION, align4, layoutLayer, parseLayerTable, type PackedLayerEntry } from './packed-header';
import { decodeUtf8, encodeUtf8 } from './utf8';

/** One N:M-pruned kernel. */
export interface NmPackedLayer {
  /** Layer name. */
  name: string;
  /** Kernel shape in TF.js order. */
  shape: number[];
  /** Flat row-major weights; every group holds at most N non-zeros. */
  weights: Float32Array;
  /** Kept weights per group. */
  n: number;
  /** Group size along the input-channel axis. */
  m: number;
}

/** Packs N:M-pruned kernels; throws when a kernel does not fit M or a group holds more than N non-zeros. */
export function packNm(layers: NmPackedLayer[]): Uint8Array {
  const entries: PackedLayerEntry[] = [];
  let dataBytes = 0;
  for (const layer of layers) {
    const validity = checkNm(layer.weights, layer.shape, layer.n, layer.m, layer.name);
    if (!validity.valid) throw new Error(`packNm: ${validity.message}`);
    const entry = layoutLayer(layer.name, layer.shape, layer.n, layer.m, dataBytes);
    entries.push(entry);
    dataBytes = align4(entry.indicesOffset + entry.indicesBytes);
  }
  const json = encodeUtf8(JSON.stringify({ layers: entries }));
  const dataStart = align4(FIXED_BYTES + json.length);
  const bytes = new Uint8Array(dataStart + dataBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, json.length, true);
  view.setUint32(16, dataBytes, true);
  bytes.set(json, FIXED_BYTES);
  layers.forEach((layer, i) => {
    const entry = entries[i];
    if (entry !== undefined) writeLayer(layer.weights, entry, view, bytes.subarray(dataStart + entry.indicesOffset), dataStart);
  });
  return bytes;
}

/** Writes one layer's values and positions: all non-zeros, padded with the lowest zero positions. */
function writeLayer(weights: Float32Array, e: PackedLayerEntry, view: DataView, indices: Uint8Array, dataStart: number): void {
  const geom = nmGeometry(e.shape, e.m);
  for (let g = 0; g < e.groups; g++) {
    const start = groupStart(geom, g);
    let nonZeros = 0;
    for (let j = 0; j < e.m; j++) if (weights[start + j * geom.out] !== 0) nonZeros++;
    let padding = e.n - nonZeros;
    let slot = g * e.n;
    for (let j = 0; j < e.m && slot < (g + 1) * e.n; j++) {
      const w = weights[start + j * geom.out] ?? 0;
      if (w === 0) {
        if (padding === 0) continue;
        padding--;
      }
      view.setFloat32(dataStart + e.valuesOffset + 4 * slot, w === 0 ? 0 : w, true);
      writeBits(indices, slot * e.bits, j, e.bits);
      slot++;
    }
  }
}

function fail(why: string): never {
  throw new Error(`unpackNm: ${why}`);
}

/** Reads a packed file back into dense kernels; throws a clear error on corrupt input. */
export function unpackNm(bytes: Uint8Array): NmPackedLayer[] {
  for (let i = 0; i < Math.min(bytes.length, MAGIC.length); i++) {
    if (bytes[i] !== MAGIC[i]) fail('wrong magic bytes: this is not an N:M packed (PTSNM1) file');
  }
  if (bytes.length < FIXED_BYTES) fail(`truncated: ${bytes.length} bytes, the fixed header alone is ${FIXED_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== VERSION) fail(`version ${version} is not supported (this reader knows version ${VERSION})`);
  const headerBytes = view.getUint32(12, true);
  const dataBytes = view.getUint32(16, true);
  const dataStart = align4(FIXED_BYTES + headerBytes);
  if (bytes.length < dataStart + dataBytes) fail(`truncated: ${bytes.length} bytes, the header promises ${dataStart + dataBytes}`);
  if (bytes.length > dataStart + dataBytes) fail(`${bytes.length - dataStart - dataBytes} unexpected bytes after the data`);

  let header: unknown;
  try {
    header = JSON.parse(decodeUtf8(bytes.subarray(FIXED_BYTES, FIXED_BYTES + headerBytes)));
  } catch (err) {
    fail(`the header is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  return parseLayerTable(header, dataBytes).map((e) => readLayer(e, view, bytes.subarray(dataStart + e.indicesOffset), dataStart));
}

/** Scatters one layer's values to their positions; rejects out-of-range or repeated positions. */
function readLayer(e: PackedLayerEntry, view: DataView, indices: Uint8Array, dataStart: number): NmPackedLayer {
  const geom = nmGeometry(e.shape, e.m);
  const weights = new Float32Array(geom.groups * e.m);
  const seenIn = new Int32Array(e.m).fill(-1); // seenIn[j] = last group that used position j
  for (let g = 0; g < e.groups; g++) {
    const start = groupStart(geom, g);
    for (let slot = g * e.n; slot < (g + 1) * e.n; slot++) {
      const j = readBits(indices, slot * e.bits, e.bits);
      if (j >= e.m) fail(`${e.name}: group ${g} points at position ${j} of a group of ${e.m}`);
      if (seenIn[j] === g) fail(`${e.name}: group ${g} lists position ${j} twice`);
      seenIn[j] = g;
      weights[start + j * geom.out] = view.getFloat32(dataStart + e.valuesOffset + 4 * slot, true);
    }
  }
  return { name: e.name, shape: [...e.shape], weights, n: e.n, m: e.m };
}
