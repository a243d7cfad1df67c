/**
 * The slice of TF.js's WebGPU backend the studio's own kernels use, typed locally: the engine
 * also runs in Node, where the WebGPU backend package must not be imported. A program here is
 * what the backend's runWebGPUProgram compiles once per shader key and dispatches once per call.
 */
import * as tf from '@tensorflow/tfjs';

/** A compute program as the WebGPU backend takes it (webgpu_program.d.ts's WebGPUProgram). */
export interface GpuProgram {
  /** Input bindings, in order: `X` becomes `X: array<f32 or i32>` and `uniforms.xShape`. */
  variableNames: string[];
  outputShape: number[];
  /** Cache key of the compiled shader; the backend appends input ranks and dtypes. */
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** Extra uniform fields, e.g. "lr : f32, keep : i32,". */
  uniforms?: string;
  /** The output is `array<atomic<i32>>` (and not cleared: the caller provides its contents). */
  atomic?: boolean;
  /** Adds `uniforms.size`, the output's element count. */
  size?: boolean;
  getUserCode(): string;
}

/** Values of a program's extra uniforms, in declaration order. */
export type GpuUniforms = { type: 'int32' | 'float32' | 'uint32'; data: number[] }[];

interface WebGpuBackendLike {
  runWebGPUProgram(program: GpuProgram, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms?: GpuUniforms, output?: tf.TensorInfo): tf.TensorInfo;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Int32Array | Float32Array): tf.TensorInfo;
}

function webgpuBackend(): WebGpuBackendLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const b = tf.backend() as unknown as Partial<WebGpuBackendLike>;
  return typeof b.runWebGPUProgram === 'function' && typeof b.makeTensorInfo === 'function' ? (b as WebGpuBackendLike) : null;
}

/** True when the active backend is WebGPU and runs custom programs. */
export function onWebGpu(): boolean {
  return webgpuBackend() !== null;
}

function backendOrThrow(): WebGpuBackendLike {
  const b = webgpuBackend();
  if (!b) throw new Error(`WebGPU kernels need the webgpu backend (active: ${tf.getBackend()})`);
  return b;
}

/** Runs `program` into a new tensor (tracked by the engine, so tidy disposes it). */
export function runProgram(program: GpuProgram, inputs: tf.Tensor[], dtype: tf.DataType, uniforms?: GpuUniforms): tf.Tensor {
  const info = backendOrThrow().runWebGPUProgram(program, inputs, dtype, uniforms);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** Runs `program` into an existing int32 tensor: atomic programs accumulate into what it holds. */
export function runProgramInto(program: GpuProgram, inputs: tf.Tensor[], output: tf.Tensor, uniforms?: GpuUniforms): void {
  backendOrThrow().runWebGPUProgram(program, inputs, output.dtype, uniforms, output);
}

/**
 * An int32 tensor of zeros written by upload rather than by a fill shader: atomic programs need
 * cleared output, and a small upload costs no dispatch.
 */
export function uploadedZeros(size: number): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(backendOrThrow().makeTensorInfo([size], 'int32', new Int32Array(size)));
}

/** Workgroups of `size` threads covering `n` items, one item a thread. */
export function flatDispatch(n: number, size: number): Pick<GpuProgram, 'dispatchLayout' | 'dispatch' | 'workgroupSize'> {
  return { dispatchLayout: { x: [0] }, dispatch: [Math.max(1, Math.ceil(n / size)), 1, 1], workgroupSize: [size, 1, 1] };
}

/**
 * WGSL: the order a mask ranks weights by as a u32, monotone in |w| (src/core/masks/magnitude.ts
 * magnitudeOf): NaN 0, below every real weight; else the bits of |w| plus one. Integer keys
 * compare exactly, subnormals included, whatever the GPU does with float comparisons.
 */
export const MAGNITUDE_KEY_WGSL = `
  fn magnitudeKey(x : f32) -> u32 {
    let bits = bitcast<u32>(x) & 0x7fffffffu;
    return select(bits + 1u, 0u, bits > 0x7f800000u);
  }
`;
