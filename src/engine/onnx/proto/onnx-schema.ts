/**
 * The ONNX protobuf schema (onnx/onnx.proto3, IR version 10) as a protobufjs JSON descriptor:
 * official message names and field numbers, no comments. A module rather than a .proto file so
 * the browser worker and Node load it without fetching anything.
 */
const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const one = (type: string, id: number) => ({ type, id });

/** protobufjs INamespace for package `onnx`. */
export const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: one('string', 1),
            ref_attr_name: one('string', 21),
            doc_string: one('string', 13),
            type: one('int32', 20),
            f: one('float', 2),
            i: one('int64', 3),
            s: one('bytes', 4),
            t: one('TensorProto', 5),
            g: one('GraphProto', 6),
            sparse_tensor: one('SparseTensorProto', 22),
            tp: one('TypeProto', 14),
            floats: repeated('float', 7),
            ints: repeated('int64', 8),
            strings: repeated('bytes', 9),
            tensors: repeated('TensorProto', 10),
            graphs: repeated('GraphProto', 11),
            sparse_tensors: repeated('SparseTensorProto', 23),
            type_protos: repeated('TypeProto', 15),
          },
        },
        ValueInfoProto: {
          fields: { name: one('string', 1), type: one('TypeProto', 2), doc_string: one('string', 3), metadata_props: repeated('StringStringEntryProto', 4) },
        },
        NodeProto: {
          fields: {
            input: repeated('string', 1),
            output: repeated('string', 2),
            name: one('string', 3),
            op_type: one('string', 4),
            domain: one('string', 7),
            overload: one('string', 8),
            attribute: repeated('AttributeProto', 5),
            doc_string: one('string', 6),
            metadata_props: repeated('StringStringEntryProto', 9),
          },
        },
        TrainingInfoProto: {
          fields: {
            initialization: one('GraphProto', 1),
            algorithm: one('GraphProto', 2),
            initialization_binding: repeated('StringStringEntryProto', 3),
            update_binding: repeated('StringStringEntryProto', 4),
          },
        },
        ModelProto: {
          fields: {
            ir_version: one('int64', 1),
            opset_import: repeated('OperatorSetIdProto', 8),
            producer_name: one('string', 2),
            producer_version: one('string', 3),
            domain: one('string', 4),
            model_version: one('int64', 5),
            doc_string: one('string', 6),
            graph: one('GraphProto', 7),
            metadata_props: repeated('StringStringEntryProto', 14),
            training_info: repeated('TrainingInfoProto', 20),
            functions: repeated('FunctionProto', 25),
          },
        },
        StringStringEntryProto: { fields: { key: one('string', 1), value: one('string', 2) } },
        TensorAnnotation: {
          fields: { tensor_name: one('string', 1), quant_parameter_tensor_names: repeated('StringStringEntryProto', 2) },
        },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1),
            name: one('string', 2),
            initializer: repeated('TensorProto', 5),
            sparse_initializer: repeated('SparseTensorProto', 15),
            doc_string: one('string', 10),
            input: repeated('ValueInfoProto', 11),
            output: repeated('ValueInfoProto', 12),
            value_info: repeated('ValueInfoProto', 13),
            quantization_annotation: repeated('TensorAnnotation', 14),
            metadata_props: repeated('StringStringEntryProto', 16),
          },
        },
        TensorProto: {
          fields: {
            dims: repeated('int64', 1),
            data_type: one('int32', 2),
            segment: one('Segment', 3),
            float_data: { ...repeated('float', 4), options: { packed: true } },
            int32_data: { ...repeated('int32', 5), options: { packed: true } },
            string_data: repeated('bytes', 6),
            int64_data: { ...repeated('int64', 7), options: { packed: true } },
            name: one('string', 8),
            doc_string: one('string', 12),
            raw_data: one('bytes', 9),
            external_data: repeated('StringStringEntryProto', 13),
            data_location: one('int32', 14),
            double_data: { ...repeated('double', 10), options: { packed: true } },
            uint64_data: { ...repeated('uint64', 11), options: { packed: true } },
            metadata_props: repeated('StringStringEntryProto', 16),
          },
          nested: { Segment: { fields: { begin: one('int64', 1), end: one('int64', 2) } } },
        },
        SparseTensorProto: {
          fields: { values: one('TensorProto', 1), indices: one('TensorProto', 2), dims: repeated('int64', 3) },
        },
        TensorShapeProto: {
          fields: { dim: repeated('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: { dim_value: one('int64', 1), dim_param: one('string', 2), denotation: one('string', 3) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type', 'sequence_type', 'map_type', 'optional_type', 'sparse_tensor_type'] } },
          fields: {
            tensor_type: one('Tensor', 1),
            sequence_type: one('Sequence', 4),
            map_type: one('Map', 5),
            optional_type: one('Optional', 9),
            sparse_tensor_type: one('SparseTensor', 8),
            denotation: one('string', 6),
          },
          nested: {
            Tensor: { fields: { elem_type: one('int32', 1), shape: one('TensorShapeProto', 2) } },
            Sequence: { fields: { elem_type: one('TypeProto', 1) } },
            Map: { fields: { key_type: one('int32', 1), value_type: one('TypeProto', 2) } },
            Optional: { fields: { elem_type: one('TypeProto', 1) } },
            SparseTensor: { fields: { elem_type: one('int32', 1), shape: one('TensorShapeProto', 2) } },
          },
        },
        OperatorSetIdProto: { fields: { domain: one('string', 1), version: one('int64', 2) } },
        FunctionProto: {
          fields: {
            name: one('string', 1),
            input: repeated('string', 4),
            output: repeated('string', 5),
            attribute: repeated('string', 6),
            attribute_proto: repeated('AttributeProto', 11),
            node: repeated('NodeProto', 7),
            doc_string: one('string', 8),
            opset_import: repeated('OperatorSetIdProto', 9),
            domain: one('string', 10),
            overload: one('string', 13),
            value_info: repeated('ValueInfoProto', 12),
            metadata_props: repeated('StringStringEntryProto', 14),
          },
        },
      },
    },
  },
};
