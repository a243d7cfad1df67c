/** The importer's custom layers, registered with tf.serialization on import of this module. */
export { OnnxSlice, sliceLength, type SliceSpec } from './onnx-slice';
export { OnnxPad, type PadSpec } from './onnx-pad';
export { OnnxBinary, OnnxConstOp, type ArithOp } from './onnx-arithmetic';
export { OnnxActivation, type ActivationSpec } from './onnx-activation';
