/**
 * An ONNX image classifier -> a trainable functional tf.LayersModel with real Conv2D / Dense /
 * BatchNormalization layers, NCHW run as NHWC. Constant subgraphs are folded at import.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedBytes } from '../../core/session-types';
import { InputError, errorMessage } from '../errors';
import { baseName } from '../paths';
import { ImportContext, type WeightBinding } from './context';
import { decodeModel, int } from './proto/codec';
import type { ModelProto, ValueInfoProto } from './proto/types';
import { OPS } from './registry';
import { tensorValue, type ExternalFiles } from './tensor-data';
import { CHANNELS_LAST, plain } from './values';

/** Opset versions of the default domain the importer reads. */
export const OPSETS = { min: 11, max: 18 };

/** What export needs to write the ONNX file back. */
export interface OnnxSource {
  /** Path of the .onnx file. */
  file: string;
  /** Its bytes, as dropped. */
  bytes: Uint8Array;
  /** External-data files by base name. */
  external: ExternalFiles;
  /** Which initializer each TF.js weight came from. */
  bindings: WeightBinding[];
  /** op_type -> node count. */
  ops: Record<string, number>;
  /** Default-domain opset. */
  opset: number;
  /** producer_name and version, e.g. "pytorch 1.13.1". */
  producer: string;
}

const SUPPORTED = 'The studio prunes image classifiers with one float input [batch, channels, height, width] (channels 1 or 3, fixed height and width).';

/** The .onnx file among dropped files, or null. */
export function findOnnxFile(files: NamedBytes[]): NamedBytes | null {
  return files.find((f) => /\.onnx$/i.test(f.path)) ?? null;
}

function parse(file: string, bytes: Uint8Array): ModelProto {
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    throw new InputError(file, `${file}: not a readable ONNX file (${errorMessage(e)}); it may be truncated or not ONNX at all. Export it again or copy the whole file.`);
  }
  if (!model.graph || model.graph.node.length === 0) throw new InputError(file, `${file}: holds no ONNX graph; it is truncated or not an ONNX model.`);
  return model;
}

function opsetOf(file: string, model: ModelProto): number {
  const entry = model.opset_import.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  const v = entry ? int(entry.version) : 0;
  if (v < OPSETS.min || v > OPSETS.max) {
    throw new InputError(file, `${file}: uses ONNX opset ${v || 'none'}; the importer reads opsets ${OPSETS.min} to ${OPSETS.max}. Export with opset_version between them (e.g. 13).`);
  }
  return v;
}

/** The one image input: [batch, C, H, W] (or [batch, H, W, C]) with fixed C, H, W. */
function imageInput(ctx: ImportContext, inputs: ValueInfoProto[]): { name: string; c: number; h: number; w: number; nchw: boolean } {
  const file = ctx.file;
  if (inputs.length !== 1) {
    throw new InputError(file, `${file}: the model has ${inputs.length} inputs (${inputs.map((i) => `"${i.name}"`).join(', ') || 'none'}). ${SUPPORTED}`);
  }
  const input = inputs[0]!;
  const tt = input.type?.tensor_type;
  const dims = tt?.shape?.dim ?? [];
  const desc = dims.map((d) => (d.dim_param ? d.dim_param : d.dim_value !== undefined && d.dim_value !== null ? String(int(d.dim_value)) : '?')).join(', ');
  if (!tt || tt.elem_type !== 1 || dims.length !== 4) {
    throw new InputError(file, `${file}: input "${input.name}" is ${tt ? `a rank-${dims.length} tensor [${desc}]${tt.elem_type === 1 ? '' : ` of element type #${tt.elem_type} (not float32)`}` : 'not a tensor'}, not an image. ${SUPPORTED}`);
  }
  const fixed = dims.map((d) => (d.dim_value !== undefined && d.dim_value !== null && int(d.dim_value) > 0 ? int(d.dim_value) : null));
  const nchw = fixed[1] === 1 || fixed[1] === 3;
  const [c, h, w] = nchw ? [fixed[1], fixed[2], fixed[3]] : [fixed[3], fixed[1], fixed[2]];
  if (h === null || w === null || h === undefined || w === undefined) {
    throw new InputError(file, `${file}: input "${input.name}" [${desc}] has a dynamic height or width. The studio needs a fixed image size: export with a fixed input size (no dynamic_axes on height and width).`);
  }
  if (c !== 1 && c !== 3) throw new InputError(file, `${file}: input "${input.name}" [${desc}] has ${c ?? 'a dynamic number of'} channels, not an image. ${SUPPORTED}`);
  return { name: input.name, c, h, w, nchw };
}

/** Imports the .onnx among `files` (external-data files beside it); throws InputError naming the problem. */
export async function importOnnx(files: NamedBytes[]): Promise<{ model: tf.LayersModel; source: OnnxSource }> {
  const main = findOnnxFile(files);
  if (!main) throw new InputError(null, 'No .onnx file among the dropped files.');
  const file = main.path;
  const bytes = new Uint8Array(main.bytes);
  const proto = parse(file, bytes);
  const graph = proto.graph!;
  const ctx = new ImportContext(file, opsetOf(file, proto));
  const external: ExternalFiles = new Map(files.filter((f) => f !== main).map((f) => [baseName(f.path), new Uint8Array(f.bytes)]));
  for (const t of graph.initializer) {
    ctx.values.set(t.name, tensorValue(t, file, external));
    ctx.initializers.add(t.name);
  }
  const spec = imageInput(ctx, graph.input.filter((i) => !ctx.initializers.has(i.name)));
  const ops: Record<string, number> = {};
  try {
    const input = tf.input({ shape: [spec.h, spec.w, spec.c], name: ctx.layerName({ name: spec.name, op_type: 'Input', input: [], output: [], domain: '', attribute: [] }) });
    ctx.values.set(spec.name, { kind: 'sym', t: input, shape: spec.nchw ? [1, spec.c, spec.h, spec.w] : [1, spec.h, spec.w, spec.c], layout: spec.nchw ? CHANNELS_LAST : plain(4) });
    for (const node of graph.node) {
      ops[node.op_type] = (ops[node.op_type] ?? 0) + 1;
      const op = node.domain === '' || node.domain === 'ai.onnx' ? OPS[node.op_type] : undefined;
      if (!op) {
        throw ctx.fail(node, `the op ${node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.` : ''}${node.op_type} is not supported by the importer. Supported: ${Object.keys(OPS).sort().join(', ')}.`);
      }
      const outs = op(ctx, node);
      outs.forEach((v, i) => node.output[i] && ctx.values.set(node.output[i]!, v));
    }
    if (graph.output.length !== 1) throw new InputError(file, `${file}: the model has ${graph.output.length} outputs; the studio prunes classifiers with one output [batch, classes].`);
    const outName = graph.output[0]!.name;
    const out = ctx.values.get(outName);
    if (!out || out.kind !== 'sym') throw new InputError(file, `${file}: output "${outName}" is ${out ? 'a constant' : 'not computed by any node'}.`);
    if (out.shape.length !== 2 || out.shape[1]! < 2) {
      throw new InputError(file, `${file}: output "${outName}" has shape [batch, ${out.shape.slice(1).join(', ')}], not a class score vector [batch, classes].`);
    }
    const model = tf.model({ inputs: input, outputs: out.t, name: baseName(file).replace(/\.onnx$/i, '') });
    for (const p of ctx.pending) {
      p.layer.setWeights(p.weights);
      p.weights.forEach((w) => w.dispose());
    }
    const producer = [proto.producer_name, (proto as { producer_version?: string }).producer_version].filter(Boolean).join(' ');
    return { model, source: { file, bytes, external, bindings: ctx.bindings, ops, opset: ctx.opset, producer } };
  } catch (e) {
    for (const p of ctx.pending) p.weights.forEach((w) => w.dispose());
    for (const l of ctx.layers) {
      try {
        l.dispose();
      } catch {
        // Layers never built hold nothing to free.
      }
    }
    if (e instanceof InputError) throw e;
    throw new InputError(file, `${file}: could not be imported (${errorMessage(e)}).`);
  }
}
