/**
 * The sparse .onnx: the dropped graph unchanged, every initializer a TF.js weight came from
 * rewritten from the sparse model (kernels back to OIHW, exact zeros kept), external data inlined.
 */
import { gzipSync } from 'fflate';
import type { OnnxSource } from './import-model';
import type { WeightBinding } from './context';
import { decodeModel, encodeModel } from './proto/codec';
import { externalBytes } from './tensor-data';
import type { TensorProto } from './proto/types';
import { transposeData } from './values';

/** Float32 weights of an exported TF.js model by weight name. */
export function weightsByName(modelJson: string, weights: ArrayBuffer): Map<string, { shape: number[]; data: Float32Array }> {
  const mj = JSON.parse(modelJson) as { weightsManifest: { weights: { name: string; shape: number[]; dtype: string }[] }[] };
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  let offset = 0;
  for (const spec of mj.weightsManifest.flatMap((g) => g.weights)) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== 'float32') throw new Error(`Weight ${spec.name} is ${spec.dtype}; the ONNX export writes float32 only.`);
    out.set(spec.name, { shape: spec.shape, data: new Float32Array(weights.slice(offset, offset + n * 4)) });
    offset += n * 4;
  }
  return out;
}

/** A TF.js weight back in its initializer's ONNX layout. */
function toOnnx(b: WeightBinding, w: { shape: number[]; data: Float32Array }): Float32Array {
  const t = b.transform;
  switch (t.kind) {
    case 'conv':
      return Float32Array.from(transposeData(w.data, w.shape, [3, 2, 0, 1]).data);
    case 'depthwise':
      return Float32Array.from(transposeData(w.data, w.shape, [2, 3, 0, 1]).data);
    case 'dense': {
      const d = t.transposed ? transposeData(w.data, w.shape, [1, 0]).data : w.data;
      return Float32Array.from(d, (v) => (t.scale === 1 ? v : v / t.scale));
    }
    case 'copy':
      return t.scale === 1 ? w.data : Float32Array.from(w.data, (v) => v / t.scale);
  }
}

function setRaw(t: TensorProto, raw: Uint8Array): void {
  t.raw_data = raw;
  t.float_data = [];
  t.int32_data = [];
  t.int64_data = [];
  t.double_data = [];
  t.uint64_data = [];
  t.external_data = [];
  t.data_location = 0;
}

/** The sparse .onnx bytes for the sparse TF.js model (model.json text + weights). */
export function exportOnnx(source: OnnxSource, modelJson: string, weights: ArrayBuffer): Uint8Array {
  const model = decodeModel(source.bytes);
  const tensors = new Map(model.graph!.initializer.map((t) => [t.name, t]));
  const byName = weightsByName(modelJson, weights);
  for (const t of model.graph!.initializer) {
    if (t.data_location === 1 || t.external_data.length > 0) setRaw(t, externalBytes(t, source.file, source.external).slice());
  }
  for (const b of source.bindings) {
    const w = byName.get(b.weight);
    const t = tensors.get(b.initializer);
    if (!w || !t) throw new Error(`ONNX export: weight ${b.weight} or initializer ${b.initializer} is missing.`);
    if (t.data_type !== 1) throw new Error(`ONNX export: initializer ${b.initializer} is not float32.`);
    const data = toOnnx(b, w);
    setRaw(t, new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
  }
  return encodeModel(model);
}

/** Sizes of the dropped and the sparse ONNX files, plain and gzip -6. */
export function onnxSizes(source: OnnxSource, sparse: Uint8Array): { denseBytes: number; sparseBytes: number; gzipDenseBytes: number; gzipSparseBytes: number } {
  const ext = [...source.external.values()];
  const gz = (b: Uint8Array) => gzipSync(b, { level: 6 }).byteLength;
  return {
    denseBytes: source.bytes.byteLength + ext.reduce((s, e) => s + e.byteLength, 0),
    sparseBytes: sparse.byteLength,
    gzipDenseBytes: gz(source.bytes) + ext.reduce((s, e) => s + gz(e), 0),
    gzipSparseBytes: gz(sparse),
  };
}
