/**
 * State of one import: the values by name, unique TF.js layer names, the initializers each
 * layer weight came from (so export can write them back), and the error every op raises.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../errors';
import type { NodeProto } from './proto/types';
import { type ConstValue, type SymValue, type Value, onnxAxes } from './values';

/** How a TF.js weight maps back onto an ONNX initializer. */
export type WeightTransform =
  /** Conv kernel: TF.js [kh, kw, in, out] from ONNX [out, in, kh, kw]. */
  | { kind: 'conv' }
  /** Depthwise kernel: TF.js [kh, kw, c, mult] from ONNX [c*mult, 1, kh, kw]. */
  | { kind: 'depthwise'; multiplier: number }
  /** Dense kernel: TF.js [in, out] from ONNX [out, in] (transposed) or [in, out], times `scale`. */
  | { kind: 'dense'; transposed: boolean; scale: number }
  /** A vector copied as is, times `scale`. */
  | { kind: 'copy'; scale: number };

/** One TF.js weight taken from an ONNX initializer. */
export interface WeightBinding {
  /** TF.js weight name, "<layer>/<weight>" (e.g. "conv1/Conv/kernel"). */
  weight: string;
  /** ONNX initializer name. */
  initializer: string;
  /** ONNX dims of the initializer. */
  dims: number[];
  transform: WeightTransform;
}

/** TF.js layer names must start with a letter or digit and use [-A-Za-z0-9._/]. */
function sanitize(name: string): string {
  const s = name.replace(/[^-A-Za-z0-9._/]/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  return s === '' ? 'node' : s;
}

export class ImportContext {
  /** Values by ONNX name. */
  readonly values = new Map<string, Value>();
  /** Weights taken from initializers, for export. */
  readonly bindings: WeightBinding[] = [];
  /** Initializer names, to tell weights from computed constants. */
  readonly initializers = new Set<string>();
  /** Layers and the weights to set on them once the model is built. */
  readonly pending: { layer: tf.layers.Layer; weights: tf.Tensor[] }[] = [];
  /** Every layer created, to free them when the import fails. */
  readonly layers: tf.layers.Layer[] = [];
  private readonly used = new Set<string>();

  constructor(
    /** The .onnx file's path, for messages. */
    readonly file: string,
    /** Default-domain opset version. */
    readonly opset: number,
  ) {}

  /** An InputError naming the file, the node and its op. */
  fail(node: NodeProto, problem: string): InputError {
    return new InputError(this.file, `${this.file}: node "${node.name || node.output[0] || '?'}" (${node.op_type}): ${problem}`);
  }

  /** A unique TF.js layer name for `node` (the ONNX node name, sanitised), with an optional suffix. */
  layerName(node: NodeProto, suffix = ''): string {
    const base = sanitize(node.name || `${node.op_type}_${node.output[0] ?? ''}`) + suffix;
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Input `i` of `node`, or undefined when omitted. */
  input(node: NodeProto, i: number): Value | undefined {
    const name = node.input[i];
    if (!name) return undefined;
    const v = this.values.get(name);
    if (!v) throw this.fail(node, `input "${name}" is not produced by any earlier node, initializer or graph input.`);
    return v;
  }

  /** Input `i`, which must be a constant (a weight or a folded shape computation). */
  constInput(node: NodeProto, i: number, what: string): ConstValue {
    const v = this.input(node, i);
    if (!v) throw this.fail(node, `the ${what} input is missing.`);
    if (v.kind !== 'const') throw this.fail(node, `the ${what} must be a constant known at import (it is computed from the image here).`);
    return v;
  }

  /** Input `i`, which must be computed from the image. */
  symInput(node: NodeProto, i: number): SymValue {
    const v = this.input(node, i);
    if (!v || v.kind !== 'sym') throw this.fail(node, `input ${i} must be computed from the image, not a constant.`);
    return v;
  }

  /** Applies `layer` to symbolic inputs; `weights` are set once the model is built. */
  apply(layer: tf.layers.Layer, inputs: tf.SymbolicTensor | tf.SymbolicTensor[], weights?: tf.Tensor[]): tf.SymbolicTensor {
    this.layers.push(layer);
    if (weights) this.pending.push({ layer, weights });
    return layer.apply(inputs) as tf.SymbolicTensor;
  }

  /** Records that TF.js weight `weight` came from initializer input `i` of `node` (when it is one). */
  bind(node: NodeProto, i: number, weight: string, dims: number[], transform: WeightTransform): void {
    const name = node.input[i];
    if (name && this.initializers.has(name)) this.bindings.push({ weight, initializer: name, dims, transform });
  }

  /** `v` rearranged so that its layout is `target` (a Permute layer when it differs). */
  toLayout(node: NodeProto, v: SymValue, target: number[]): SymValue {
    if (v.layout.every((a, i) => a === target[i])) return v;
    if (v.layout[0] !== 0 || target[0] !== 0) throw this.fail(node, 'the batch axis cannot move.');
    // TF.js Permute: output axis j (1-based, batch excluded) takes input axis dims[j - 1].
    const dims = new Array<number>(v.layout.length - 1).fill(0);
    const inv = onnxAxes(target);
    for (let j = 1; j < target.length; j++) dims[j - 1] = v.layout[inv[j]!]!;
    const t = this.apply(tf.layers.permute({ dims, name: this.layerName(node, '_permute') }), v.t);
    return { kind: 'sym', t, shape: v.shape, layout: target };
  }
}
