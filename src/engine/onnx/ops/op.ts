/** The shape of an op importer: a node and the import state in, the node's output values out. */
import type { ImportContext } from '../context';
import type { NodeProto } from '../proto/types';
import type { Value } from '../values';

/** Builds (or folds) one ONNX node; returns its outputs in order. */
export type OpImporter = (ctx: ImportContext, node: NodeProto) => Value[];

/** Float32 tensor data from a constant's values. */
export const f32 = (data: ArrayLike<number>): Float32Array => Float32Array.from(data);
