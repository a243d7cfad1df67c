/**
 * The slice of TF.js's WebGL backend the studio's own shaders use, typed locally: the engine also
 * runs in Node, where the WebGL backend package must not be imported. A program here is what the
 * backend's compileAndRun compiles once per shader key and draws once per call.
 */
import * as tf from '@tensorflow/tfjs';

/** A fragment program as the WebGL backend takes it (gpgpu_math.d.ts's GPGPUProgram). */
export interface GlProgram {
  /** Input samplers, in order: `X` becomes `getX(...)`, `getXAtOutCoords()`, `X` and `XTexShape`. */
  variableNames: string[];
  outputShape: number[];
  /** GLSL ES 3.0 with `void main()`, ending in `setOutput(float)` (`setOutput(vec4)` when packed). */
  userCode: string;
  /** Extra uniforms, values given per call in this order. */
  customUniforms?: { name: string; type: 'int' | 'float' }[];
  /** Shapes as uniforms: one compiled shader serves every layer size. */
  enableShapeUniforms: boolean;
  packedInputs: boolean;
  packedOutput: boolean;
}

interface WebGlBackendLike {
  compileAndRun(program: GlProgram, inputs: tf.TensorInfo[], outputDtype?: tf.DataType, customUniformValues?: number[][]): tf.TensorInfo;
  texData: { get(dataId: object): { isPacked?: boolean } | undefined };
  unpackTensor(input: tf.TensorInfo): tf.TensorInfo;
  uploadToGPU(dataId: object): void;
}

function webglBackend(): WebGlBackendLike | null {
  if (tf.getBackend() !== 'webgl') return null;
  const b = tf.backend() as unknown as Partial<WebGlBackendLike>;
  return typeof b.compileAndRun === 'function' && typeof b.unpackTensor === 'function' && typeof b.uploadToGPU === 'function' && b.texData ? (b as WebGlBackendLike) : null;
}

/**
 * True when the active backend is WebGL 2 with float32 render targets: the shaders need GLSL ES
 * 3.0's integer ops and floatBitsToUint, and they store counts up to 2^24 as floats, which half
 * floats would round.
 */
export function onWebGl2(): boolean {
  if (!webglBackend()) return false;
  const env = tf.env();
  return env.getNumber('WEBGL_VERSION') === 2 && env.getBool('WEBGL_RENDER_FLOAT32_ENABLED') && !env.getBool('WEBGL_FORCE_F16_TEXTURES');
}

function backendOrThrow(): WebGlBackendLike {
  const b = webglBackend();
  if (!b) throw new Error(`WebGL kernels need the webgl backend (active: ${tf.getBackend()})`);
  return b;
}

/** Runs `program` into a new float32 tensor (tracked by the engine, so tidy disposes it). */
export function runGlProgram(program: GlProgram, inputs: tf.Tensor[], uniforms?: number[][]): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(backendOrThrow().compileAndRun(program, inputs, 'float32', uniforms));
}

/** An unpacked program with shape uniforms. */
export function glProgram(variableNames: string[], outputShape: number[], userCode: string, customUniforms?: GlProgram['customUniforms']): GlProgram {
  return { variableNames, outputShape, userCode, ...(customUniforms ? { customUniforms } : {}), enableShapeUniforms: true, packedInputs: false, packedOutput: false };
}

/**
 * `t` flat, in an unpacked texture, made once: the backend would otherwise unpack a packed input
 * (what generic ops leave) again for every draw that reads it, and pass a tiny tensor still on
 * the CPU as a uniform array, which texelFetch cannot read.
 */
export function unpackedFlat(t: tf.Tensor): tf.Tensor {
  const b = backendOrThrow();
  const f32 = t.dtype === 'float32' ? t : tf.cast(t, 'float32');
  if (b.texData.get(f32.dataId)?.isPacked) {
    return tf.reshape(tf.engine().makeTensorFromTensorInfo(b.unpackTensor(f32)), [t.size]);
  }
  b.uploadToGPU(f32.dataId);
  return tf.reshape(f32, [t.size]);
}

/**
 * GLSL: `float XAt(int j)`, flat element j of the unpacked input X by texelFetch, and
 * `ivec2 XTexel(int j)`, its texel, for scans that step texels without dividing per element
 * (XStep). Cheaper than the backend's getX, which computes normalized coordinates and samples.
 */
export function texelGlsl(name: string): string {
  return `
  ivec2 ${name}Texel(int j) {
    int k = j + offset${name};
    int r = k / ${name}TexShape[1];
    return ivec2(k - r * ${name}TexShape[1], r);
  }
  ivec2 ${name}Step(ivec2 p) {
    return p.x + 1 == ${name}TexShape[1] ? ivec2(0, p.y + 1) : ivec2(p.x + 1, p.y);
  }
  float ${name}At(int j) {
    return texelFetch(${name}, ${name}Texel(j), 0).r;
  }
`;
}

/**
 * GLSL: the order a mask ranks weights by as a uint, monotone in |w| (src/core/masks/magnitude.ts
 * magnitudeOf): NaN 0, below every real weight; else the bits of |w| plus one. Integer keys
 * compare exactly, whatever the GPU does with float comparisons of NaN.
 */
export const MAGNITUDE_KEY_GLSL = `
  uint magnitudeKey(float x) {
    uint bits = floatBitsToUint(x) & 0x7fffffffu;
    return bits > 0x7f800000u ? 0u : bits + 1u;
  }
`;
