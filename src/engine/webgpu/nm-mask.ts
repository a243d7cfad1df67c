/**
 * N:M masks on WebGPU in one dispatch: each thread ranks its weight within its group of M input
 * channels and keeps it when fewer than N rank above it. Same layout and tie rule as deviceMask
 * and src/core/masks/nm.ts (groups along axis rank-2, equal magnitudes keep the lower channel,
 * NaN below every real value), where the generic ops take about ten shaders.
 */
import * as tf from '@tensorflow/tfjs';
import { requireNmGeometry } from '../../core/nm/groups';
import { flatDispatch, MAGNITUDE_KEY_WGSL, onWebGpu, runProgram, type GpuProgram } from './program';

const THREADS = 128;

function nmProgram(size: number): GpuProgram {
  return {
    variableNames: ['W'],
    outputShape: [size],
    shaderKey: 'ptsNmMask',
    ...flatDispatch(size, THREADS),
    size: true,
    uniforms: 'keepN : i32, groupM : i32, inChannels : i32, outChannels : i32,',
    getUserCode: () => `
      ${MAGNITUDE_KEY_WGSL}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let out = uniforms.outChannels;
          let m = uniforms.groupM;
          let o = index % out;
          let row = index / out; // outer * inChannels + channel
          let pos = (row % uniforms.inChannels) % m;
          let first = row - pos;
          let mine = magnitudeKey(W[index]);
          var above = 0;
          for (var j = 0; j < m; j = j + 1) {
            let k = magnitudeKey(W[(first + j) * out + o]);
            if (k > mine || (k == mine && j < pos)) {
              above = above + 1;
            }
          }
          result[index] = select(0.0, 1.0, above < uniforms.keepN);
        }
      }
    `,
  };
}

/** True when webgpuNmMask can run (the active backend is WebGPU). */
export function webgpuNmMaskAvailable(): boolean {
  return onWebGpu();
}

/**
 * The 0/1 float32 N:M mask of `w` ([..., inChannels, out], same shape out): the `n` largest |w|
 * of every `m` consecutive input channels at each (position, output) index.
 */
export function webgpuNmMask(w: tf.Tensor, n: number, m: number): tf.Tensor {
  const { inChannels, out } = requireNmGeometry(w.shape, m);
  return tf.tidy(() => {
    const flat = tf.reshape(w, [w.size]);
    // One entry per scalar field: a 4-long entry would be packed as a 16-byte-aligned vec4.
    const uniforms = [n, m, inChannels, out].map((v) => ({ type: 'int32' as const, data: [v] }));
    const mask = runProgram(nmProgram(w.size), [flat], 'float32', uniforms);
    return tf.reshape(mask, w.shape);
  });
}
