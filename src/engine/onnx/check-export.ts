/**
 * Checks of an exported sparse .onnx against the run's masks (tests and scripts): every weight
 * the mask drops is an exact zero in the ONNX initializer, every kept one is not, and N:M groups
 * hold at most N non-zeros along the ONNX kernel's input-channel axis.
 */
import type { WeightBinding } from './context';
import { decodeModel } from './proto/codec';
import { tensorValue } from './tensor-data';
import { transposeData } from './values';

/** What the check found. */
export interface ExportCheck {
  /** Kernels compared. */
  layers: number;
  /** Weights compared and zeros among them. */
  weights: number;
  zeros: number;
  /** Weights whose ONNX value disagrees with the mask (zero where kept, non-zero where dropped). */
  mismatches: number;
  /** N:M groups (along ONNX input channels) with more than N non-zeros. */
  nmViolations: number;
  /** N:M groups checked. */
  nmGroups: number;
}

interface MaskIndex {
  layers: { name: string; shape: number[]; offsetBytes: number; length: number }[];
}

/** The mask of TF.js kernel `name` in the ONNX initializer's layout (1 = kept). */
function onnxMask(bits: Uint8Array, layer: MaskIndex['layers'][number], b: WeightBinding): Float64Array {
  const m = new Float64Array(layer.length);
  for (let i = 0; i < layer.length; i++) m[i] = (bits[layer.offsetBytes + (i >> 3)]! >> (i & 7)) & 1;
  if (b.transform.kind === 'conv') return transposeData(m, layer.shape, [3, 2, 0, 1]).data;
  if (b.transform.kind === 'depthwise') return transposeData(m, layer.shape, [2, 3, 0, 1]).data;
  if (b.transform.kind === 'dense' && b.transform.transposed) return transposeData(m, layer.shape, [1, 0]).data;
  return m;
}

/** Compares the sparse .onnx with masks.json + masks.bin; `nm` checks groups of conv and Gemm kernels named in `nmLayers`. */
export function checkSparseOnnx(args: {
  onnx: Uint8Array;
  bindings: WeightBinding[];
  masksJson: string;
  masks: ArrayBuffer;
  nm?: { n: number; m: number; layers: string[] };
}): ExportCheck {
  const graph = decodeModel(args.onnx).graph!;
  const inits = new Map(graph.initializer.map((t) => [t.name, t]));
  const index = JSON.parse(args.masksJson) as MaskIndex;
  const bits = new Uint8Array(args.masks);
  const out: ExportCheck = { layers: 0, weights: 0, zeros: 0, mismatches: 0, nmViolations: 0, nmGroups: 0 };
  for (const layer of index.layers) {
    const b = args.bindings.find((x) => x.weight === `${layer.name}/kernel` || x.weight === `${layer.name}/depthwise_kernel`);
    const t = b && inits.get(b.initializer);
    if (!b || !t) throw new Error(`no ONNX initializer for kernel ${layer.name}`);
    const w = tensorValue(t, 'model.onnx', new Map());
    const mask = onnxMask(bits, layer, b);
    out.layers++;
    for (let i = 0; i < w.data.length; i++) {
      out.weights++;
      if (w.data[i] === 0) out.zeros++;
      if ((w.data[i] === 0) !== (mask[i] === 0)) out.mismatches++;
    }
    if (args.nm && args.nm.layers.includes(layer.name)) {
      // Conv OIHW: groups of M along I (axis 1) for each (o, kh, kw); Gemm [out, in]: along in.
      const dims = w.dims;
      const [o, i, inner] = dims.length === 4 ? [dims[0]!, dims[1]!, dims[2]! * dims[3]!] : b.transform.kind === 'dense' && b.transform.transposed ? [dims[0]!, dims[1]!, 1] : [dims[1]!, dims[0]!, 1];
      const at = (oo: number, ii: number, k: number) => (dims.length === 4 || (b.transform.kind === 'dense' && b.transform.transposed) ? (oo * i + ii) * inner + k : ii * o + oo);
      for (let oo = 0; oo < o; oo++) for (let k = 0; k < inner; k++) for (let g = 0; g + args.nm.m <= i; g += args.nm.m) {
        let nz = 0;
        for (let j = 0; j < args.nm.m; j++) nz += w.data[at(oo, g + j, k)] !== 0 ? 1 : 0;
        out.nmGroups++;
        if (nz > args.nm.n) out.nmViolations++;
      }
    }
  }
  return out;
}
