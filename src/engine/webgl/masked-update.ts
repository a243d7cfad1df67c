/**
 * The straight-through momentum-SGD step of a masked kernel on WebGL in two draws (a program has
 * one output) instead of the generic ops' seven to eleven. Momentum and the learning rate are
 * uniforms, so a schedule that changes lr every step reuses one compiled shader.
 */
import * as tf from '@tensorflow/tfjs';
import type { MaskedUpdateInputs } from '../webgpu/masked-update';
import { onWebGl2, runGlProgram, type GlProgram } from './program';

/**
 * An elementwise program on packed textures (four values a texel), which is how the generic ops
 * leave the trainer's tensors: unpacked programs would first unpack every input, a draw each.
 */
function packedProgram(variableNames: string[], shape: number[], body: string, uniform: string): GlProgram {
  return {
    variableNames,
    outputShape: shape,
    userCode: `
      void main() {
        setOutput(${body});
      }
    `,
    customUniforms: [{ name: uniform, type: 'float' }],
    // The backend's shape uniforms cover ranks up to 4; beyond, shapes are compiled in.
    enableShapeUniforms: shape.length <= 4,
    packedInputs: true,
    packedOutput: true,
  };
}

/** v' = momentum * v + (g + c * d). */
const velocityProgram = (shape: number[]) => packedProgram(['G', 'D', 'V', 'C'], shape, 'getVAtOutCoords() * momentum + (getGAtOutCoords() + getCAtOutCoords() * getDAtOutCoords())', 'momentum');

/** d' = d - lr * v'. */
const denseProgram = (shape: number[]) => packedProgram(['D', 'V'], shape, 'getDAtOutCoords() - getVAtOutCoords() * lr', 'lr');

/** True when webglMaskedUpdate can run (WebGL 2 with float32 render targets). */
export function webglMaskedUpdateAvailable(): boolean {
  return onWebGl2();
}

/**
 * One straight-through momentum-SGD step: v' = momentum * v + g + coef * d, d' = d - lr * v'.
 * Returns new tensors (the caller assigns them to its variables).
 */
export function webglMaskedUpdate(u: MaskedUpdateInputs): { velocity: tf.Tensor; dense: tf.Tensor } {
  return tf.tidy(() => {
    const shape = u.dense.shape;
    const velocity = runGlProgram(velocityProgram(shape), [u.g, u.dense, u.velocity, u.coef], [[u.momentum]]);
    const dense = runGlProgram(denseProgram(shape), [u.dense, velocity], [[u.lr]]);
    return { velocity, dense };
  });
}
