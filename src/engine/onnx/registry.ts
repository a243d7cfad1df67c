/** Every ONNX op the importer reads, by op_type (one importer per file in ops/). */
import { averagePool, globalAveragePool, maxPool } from './ops/pools';
import { add, div, mul, sub } from './ops/arithmetic';
import { batchNormalization } from './ops/batch-normalization';
import { clip, hardSigmoid, hardSwish, leakyRelu, relu, sigmoid } from './ops/activations';
import { concat } from './ops/concat';
import { cast, constantOfShape, constantOp, gather, range, shape } from './ops/constants';
import { conv } from './ops/conv';
import { gemm } from './ops/gemm';
import { identity } from './ops/identity';
import { matMul } from './ops/mat-mul';
import type { OpImporter } from './ops/op';
import { pad } from './ops/pad';
import { flatten, reshape, squeeze, unsqueeze } from './ops/reshape';
import { slice } from './ops/slice';
import { softmax } from './ops/softmax';
import { transpose } from './ops/transpose';

/** op_type -> importer. */
export const OPS: Record<string, OpImporter> = {
  Conv: conv,
  BatchNormalization: batchNormalization,
  Gemm: gemm,
  MatMul: matMul,
  Add: add,
  Sub: sub,
  Mul: mul,
  Div: div,
  Relu: relu,
  Clip: clip,
  LeakyRelu: leakyRelu,
  Sigmoid: sigmoid,
  HardSigmoid: hardSigmoid,
  HardSwish: hardSwish,
  Softmax: softmax,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Concat: concat,
  Pad: pad,
  Slice: slice,
  Identity: identity,
  Dropout: identity,
  Shape: shape,
  Gather: gather,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  ConstantOfShape: constantOfShape,
  Cast: cast,
  Range: range,
  Constant: constantOp,
};
