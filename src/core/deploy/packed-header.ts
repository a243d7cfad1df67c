/**
 * The fixed header and the JSON layer table of the N:M packed format (docs/nm-packed-format.md):
 * constants, the byte layout of one layer, and a strict parser of the table.
 */
import { assertNm, indexBits, nmGeometry } from '../nm/groups';

/** "PTSNM1" and two zero bytes. */
export const MAGIC: readonly number[] = [0x50, 0x54, 0x53, 0x4e, 0x4d, 0x31, 0x00, 0x00];
/** Format version this code writes and reads. */
export const VERSION = 1;
/** Bytes before the JSON header: magic, version, header length, data length. */
export const FIXED_BYTES = 20;
/** Largest M the format stores (positions fit 16 bits). */
export const MAX_M = 65536;

/** Where one layer lies in the data section; offsets are relative to the data section. */
export interface PackedLayerEntry {
  /** Layer name. */
  name: string;
  /** Kernel shape in TF.js order; the input-channel axis is `shape.length - 2`. */
  shape: number[];
  /** Kept weights per group. */
  n: number;
  /** Group size. */
  m: number;
  /** Bits per position: ceil(log2 M). */
  bits: number;
  /** Number of groups. */
  groups: number;
  /** Offset of the float32 values, a multiple of 4. */
  valuesOffset: number;
  /** groups * n * 4. */
  valuesBytes: number;
  /** Offset of the bit-packed positions: valuesOffset + valuesBytes. */
  indicesOffset: number;
  /** ceil(groups * n * bits / 8). */
  indicesBytes: number;
}

/** Rounds up to a multiple of 4. */
export function align4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}

/** The entry of a layer whose values start at `offset`; throws when the shape does not fit M. */
export function layoutLayer(name: string, shape: number[], n: number, m: number, offset: number): PackedLayerEntry {
  assertNm(n, m);
  if (m > MAX_M) throw new RangeError(`M = ${m} is above the format's limit of ${MAX_M}`);
  const geom = nmGeometry(shape, m);
  if (!geom.fits) throw new RangeError(`${name}: shape [${shape.join(', ')}] does not fit ${n}:${m}`);
  const bits = indexBits(m);
  const slots = geom.groups * n;
  const valuesBytes = slots * 4;
  return {
    name,
    shape: [...shape],
    n,
    m,
    bits,
    groups: geom.groups,
    valuesOffset: offset,
    valuesBytes,
    indicesOffset: offset + valuesBytes,
    indicesBytes: Math.ceil((slots * bits) / 8),
  };
}

function fail(why: string): never {
  throw new Error(`unpackNm: corrupt header: ${why}`);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Validates the parsed JSON header against the format and a data section of `dataBytes`. */
export function parseLayerTable(header: unknown, dataBytes: number): PackedLayerEntry[] {
  if (typeof header !== 'object' || header === null) fail('not a JSON object');
  const layers: unknown = (header as { layers?: unknown }).layers;
  if (!Array.isArray(layers)) fail('no "layers" array');
  return layers.map((raw: unknown, i): PackedLayerEntry => {
    if (typeof raw !== 'object' || raw === null) fail(`layer ${i} is not an object`);
    const e = raw as Record<string, unknown>;
    const { name, shape, n, m, valuesOffset } = e;
    if (typeof name !== 'string') fail(`layer ${i} has no name`);
    if (!Array.isArray(shape) || !shape.every((d) => isCount(d) && d > 0)) fail(`layer ${i} (${name}) has a bad shape`);
    if (!isCount(n) || !isCount(m) || n < 1 || n > m || m > MAX_M) fail(`layer ${i} (${name}) has a bad N:M`);
    if (!isCount(valuesOffset) || valuesOffset % 4 !== 0) fail(`layer ${i} (${name}) has a bad values offset`);
    let expected: PackedLayerEntry;
    try {
      expected = layoutLayer(name, shape as number[], n, m, valuesOffset);
    } catch (err) {
      fail(`layer ${i}: ${(err as Error).message}`);
    }
    for (const key of ['bits', 'groups', 'valuesBytes', 'indicesOffset', 'indicesBytes'] as const) {
      if (e[key] !== expected[key]) fail(`layer ${i} (${name}) says ${key} = ${String(e[key])}, its shape needs ${expected[key]}`);
    }
    if (expected.indicesOffset + expected.indicesBytes > dataBytes) {
      fail(`layer ${i} (${name}) ends past the ${dataBytes}-byte data section`);
    }
    return expected;
  });
}
