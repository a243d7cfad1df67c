/** The parts of the decoded ONNX messages the importer reads (field names as in onnx.proto3). */

/** An int64 as protobufjs decodes it: a number, or a Long when long.js is present. */
export type Int64 = number | { toNumber(): number };

export interface StringStringEntryProto {
  /** Key. */
  key: string;
  /** Value. */
  value: string;
}

export interface TensorProto {
  /** Shape. */
  dims: Int64[];
  /** TensorProto.DataType (1 float, 6 int32, 7 int64, 9 bool, 11 double, ...). */
  data_type: number;
  /** Typed data fields; one of these or raw_data or external_data holds the values. */
  float_data: number[];
  /** int32 / int8 / uint8 / bool / float16 data. */
  int32_data: number[];
  /** int64 data. */
  int64_data: Int64[];
  /** double data. */
  double_data: number[];
  /** uint64 / uint32 data. */
  uint64_data: Int64[];
  /** Name (initializers are referenced by it). */
  name: string;
  /** Little-endian bytes of the values. */
  raw_data: Uint8Array;
  /** location / offset / length of data stored in another file. */
  external_data: StringStringEntryProto[];
  /** 1 = EXTERNAL. */
  data_location: number;
}

export interface AttributeProto {
  /** Attribute name. */
  name: string;
  /** AttributeType: 1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 6 FLOATS, 7 INTS, 8 STRINGS. */
  type: number;
  /** float value. */
  f: number;
  /** int value. */
  i: Int64;
  /** string value (bytes). */
  s: Uint8Array;
  /** tensor value. */
  t: TensorProto | null;
  /** floats value. */
  floats: number[];
  /** ints value. */
  ints: Int64[];
}

export interface NodeProto {
  /** Input value names ('' = omitted optional input). */
  input: string[];
  /** Output value names. */
  output: string[];
  /** Node name (may be empty). */
  name: string;
  /** Operator. */
  op_type: string;
  /** Operator set domain ('' or 'ai.onnx' for the standard one). */
  domain: string;
  /** Attributes. */
  attribute: AttributeProto[];
}

export interface TensorShapeDim {
  /** Fixed size, when set. */
  dim_value?: Int64;
  /** Symbolic size name, when set. */
  dim_param?: string;
}

export interface ValueInfoProto {
  /** Value name. */
  name: string;
  /** Its type (tensor type with element type and shape). */
  type: { tensor_type?: { elem_type: number; shape?: { dim: TensorShapeDim[] } | null } | null } | null;
}

export interface GraphProto {
  /** Nodes in topological order. */
  node: NodeProto[];
  /** Graph name. */
  name: string;
  /** Constant tensors. */
  initializer: TensorProto[];
  /** Graph inputs (may list initializers too, in older IR versions). */
  input: ValueInfoProto[];
  /** Graph outputs. */
  output: ValueInfoProto[];
}

export interface ModelProto {
  /** IR version. */
  ir_version: Int64;
  /** Operator sets. */
  opset_import: { domain: string; version: Int64 }[];
  /** Producer, e.g. "pytorch". */
  producer_name: string;
  /** The graph. */
  graph: GraphProto | null;
}
