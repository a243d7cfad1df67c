/**
 * Small ONNX files written with the same protobuf schema the importer reads, for tests: a tiny
 * valid classifier and the broken variants of the bad-input table.
 */
import { encodeModel } from './proto/codec';
import type { ModelProto } from './proto/types';

const f32bytes = (n: number, seed: number): Uint8Array => {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(seed * 7.1 + i * 0.61) * 0.5;
  return new Uint8Array(a.buffer);
};
const dim = (d: number | string) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d });
const valueInfo = (name: string, dims: (number | string)[]) => ({ name, type: { tensor_type: { elem_type: 1, shape: { dim: dims.map(dim) } } } });
const tensor = (name: string, dims: number[], seed: number) => ({ name, dims, data_type: 1, raw_data: f32bytes(dims.reduce((a, b) => a * b, 1), seed) });
const node = (op_type: string, input: string[], output: string[], name: string, attribute: object[] = []) => ({ op_type, input, output, name, attribute });
const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v });

/** Options of the tiny classifier. */
export interface TinyOptions {
  /** Op of the activation node (default Relu). */
  activation?: string;
  /** Input dims (default ['N', 3, 8, 8]). */
  inputDims?: (number | string)[];
  /** A second graph input. */
  secondInput?: boolean;
  /** Store the conv weight in this external file instead of inline. */
  externalWeights?: string;
  /** Opset version (default 13). */
  opset?: number;
  /** A BatchNormalization node after the conv. */
  batchNorm?: boolean;
}

/** Conv(3->4, 3x3, pad 1) -> (BatchNormalization) -> activation -> MaxPool 2x2 -> GlobalAveragePool -> Flatten -> Gemm(4->5). */
export function tinyOnnx(o: TinyOptions = {}): { onnx: Uint8Array; external: Uint8Array | null } {
  const w = tensor('conv.weight', [4, 3, 3, 3], 1);
  let external: Uint8Array | null = null;
  const convWeight: Record<string, unknown> = { ...w };
  if (o.externalWeights) {
    external = w.raw_data;
    delete convWeight['raw_data'];
    convWeight['data_location'] = 1;
    convWeight['external_data'] = [{ key: 'location', value: o.externalWeights }, { key: 'offset', value: '0' }, { key: 'length', value: String(external.byteLength) }];
  }
  const model = {
    ir_version: 8,
    producer_name: 'pts-studio-tests',
    opset_import: [{ domain: '', version: o.opset ?? 13 }],
    graph: {
      name: 'tiny',
      input: [valueInfo('image', o.inputDims ?? ['N', 3, 8, 8]), ...(o.secondInput ? [valueInfo('mask', ['N', 1, 8, 8])] : [])],
      output: [valueInfo('scores', ['N', 5])],
      initializer: [
        convWeight, tensor('conv.bias', [4], 2), tensor('fc.weight', [5, 4], 3), tensor('fc.bias', [5], 4),
        ...(o.batchNorm ? [tensor('bn.scale', [4], 5), tensor('bn.bias', [4], 6), tensor('bn.mean', [4], 7), { ...tensor('bn.var', [4], 8), raw_data: new Uint8Array(new Float32Array([0.5, 1, 1.5, 2]).buffer) }] : []),
      ],
      node: [
        node('Conv', ['image', 'conv.weight', 'conv.bias'], ['c0'], 'conv', [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1])]),
        o.batchNorm
          ? node('BatchNormalization', ['c0', 'bn.scale', 'bn.bias', 'bn.mean', 'bn.var'], ['c'], 'bn', [{ name: 'epsilon', type: 1, f: 1e-5 }])
          : node('Identity', ['c0'], ['c'], 'same'),
        node(o.activation ?? 'Relu', ['c'], ['r'], 'act'),
        node('MaxPool', ['r'], ['m'], 'pool', [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])]),
        node('GlobalAveragePool', ['m'], ['g'], 'gap'),
        node('Flatten', ['g'], ['f'], 'flatten'),
        node('Gemm', ['f', 'fc.weight', 'fc.bias'], ['scores'], 'fc', [{ name: 'transB', type: 2, i: 1 }]),
      ],
    },
  };
  return { onnx: encodeModel(model as unknown as ModelProto), external };
}

/** Initializers named var* (BatchNorm variances) get |v| + 0.5. */
function positiveIfVar(t: ReturnType<typeof tensor>): ReturnType<typeof tensor> {
  if (!t.name.startsWith('var')) return t;
  const v = new Float32Array(t.raw_data.slice().buffer).map((x) => Math.abs(x) + 0.5);
  return { ...t, raw_data: new Uint8Array(v.buffer) };
}

/** An attribute of a fixture node. */
export const attr = {
  ints: (name: string, v: number[]) => ({ name, type: 7, ints: v }),
  int: (name: string, v: number) => ({ name, type: 2, i: v }),
  float: (name: string, v: number) => ({ name, type: 1, f: v }),
  str: (name: string, v: string) => ({ name, type: 3, s: new TextEncoder().encode(v) }),
};

/** A graph from nodes [op, inputs, outputs, attributes]; initializers are seeded float32 (var*: positive) or given int64 values. */
export function buildOnnx(spec: {
  inputDims: (number | string)[];
  outputDims: (number | string)[];
  weights: Record<string, number[]>;
  ints?: Record<string, number[]>;
  nodes: [string, string[], string[], object[]?][];
  opset?: number;
}): Uint8Array {
  let seed = 10;
  const i64 = Object.entries(spec.ints ?? {}).map(([name, v]) => ({ name, dims: [v.length], data_type: 7, int64_data: v }));
  const model = {
    ir_version: 8,
    producer_name: 'pts-studio-tests',
    opset_import: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'ops',
      input: [valueInfo('x', spec.inputDims)],
      output: [valueInfo('y', spec.outputDims)],
      initializer: [...Object.entries(spec.weights).map(([name, dims]) => positiveIfVar(tensor(name, dims, seed++))), ...i64],
      node: spec.nodes.map(([op, input, output, attribute], k) => node(op, input, output, `n${k}_${op}`, attribute ?? [])),
    },
  };
  return encodeModel(model as unknown as ModelProto);
}
