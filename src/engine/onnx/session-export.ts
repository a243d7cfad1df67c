/** A finished run of an ONNX model gains the sparse .onnx and its sizes in the deployment report. */
import type { RunArtifacts } from '../../core/session-types';
import { exportOnnx, onnxSizes } from './export-onnx';
import type { OnnxSource } from './import-model';

/** `result` with `onnx` set and report.deployment.onnx filled. */
export function withOnnxExport(source: OnnxSource, result: RunArtifacts): RunArtifacts {
  const bytes = exportOnnx(source, result.modelJson, result.weights);
  const d = result.report.deployment;
  const report = { ...result.report, deployment: d ? { ...d, onnx: onnxSizes(source, bytes) } : d };
  return { ...result, report, onnx: bytes.buffer as ArrayBuffer };
}
