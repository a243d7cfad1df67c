/** What the model summary says of an imported ONNX model: its format, ops and preprocessing. */
import type { ModelSummary } from '../../core/session-types';
import type { OnnxSource } from './import-model';

/** `summary` (from the imported TF.js model) completed with what the ONNX file says. */
export function onnxSummary(summary: ModelSummary, source: OnnxSource): ModelSummary {
  return {
    ...summary,
    format: `ONNX (opset ${source.opset}${source.producer ? `, ${source.producer}` : ''})`,
    onnxOps: source.ops,
    // PyTorch (torchvision) convention: RGB in [0, 1], then ImageNet mean/std.
    suggestedPreprocess: 'imagenet',
  };
}
