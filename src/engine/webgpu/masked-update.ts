/**
 * The straight-through momentum-SGD step of a masked kernel on WebGPU in two dispatches (a
 * program has one output) instead of the generic ops' seven to eleven. Momentum and the learning
 * rate are uniforms, so a schedule that changes lr every step reuses one compiled shader.
 */
import * as tf from '@tensorflow/tfjs';
import { flatDispatch, onWebGpu, runProgram, type GpuProgram } from './program';

const THREADS = 128;

/** v' = momentum * v + (g + c * d). */
function velocityProgram(size: number): GpuProgram {
  return {
    variableNames: ['G', 'D', 'V', 'C'],
    outputShape: [size],
    shaderKey: 'ptsMaskedVelocity',
    ...flatDispatch(size, THREADS),
    size: true,
    uniforms: 'momentum : f32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          result[index] = V[index] * uniforms.momentum + (G[index] + C[index] * D[index]);
        }
      }
    `,
  };
}

/** d' = d - lr * v'. */
function denseProgram(size: number): GpuProgram {
  return {
    variableNames: ['D', 'V'],
    outputShape: [size],
    shaderKey: 'ptsMaskedDense',
    ...flatDispatch(size, THREADS),
    size: true,
    uniforms: 'lr : f32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          result[index] = D[index] - V[index] * uniforms.lr;
        }
      }
    `,
  };
}

/** Inputs of one masked update; all tensors share the kernel's shape. */
export interface MaskedUpdateInputs {
  /** Gradient of the loss with respect to the masked kernel (w * mask). */
  g: tf.Tensor;
  /** The dense weights SGD updates. */
  dense: tf.Tensor;
  velocity: tf.Tensor;
  /** Per-weight decay: weightDecay + lambda * (1 - mask). */
  coef: tf.Tensor;
  momentum: number;
  lr: number;
}

/** True when webgpuMaskedUpdate can run (the active backend is WebGPU). */
export function webgpuMaskedUpdateAvailable(): boolean {
  return onWebGpu();
}

/**
 * One straight-through momentum-SGD step: v' = momentum * v + g + coef * d, d' = d - lr * v'.
 * Returns new tensors (the caller assigns them to its variables).
 */
export function webgpuMaskedUpdate(u: MaskedUpdateInputs): { velocity: tf.Tensor; dense: tf.Tensor } {
  return tf.tidy(() => {
    const shape = u.dense.shape;
    const size = u.dense.size;
    const flat = (t: tf.Tensor) => tf.reshape(t, [size]);
    const d = flat(u.dense);
    const v = runProgram(velocityProgram(size), [flat(u.g), d, flat(u.velocity), flat(u.coef)], 'float32', [{ type: 'float32', data: [u.momentum] }]);
    const dense = runProgram(denseProgram(size), [d, v], 'float32', [{ type: 'float32', data: [u.lr] }]);
    return { velocity: tf.reshape(v, shape), dense: tf.reshape(dense, shape) };
  });
}
