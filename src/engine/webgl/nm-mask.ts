/**
 * N:M masks on WebGL in one draw: each fragment ranks its weight within its group of M input
 * channels and keeps it when fewer than N rank above it. Same layout and tie rule as deviceMask
 * and src/core/masks/nm.ts (groups along axis rank-2, equal magnitudes keep the lower channel,
 * NaN below every real value), where the generic ops take about ten shaders.
 */
import * as tf from '@tensorflow/tfjs';
import { requireNmGeometry } from '../../core/nm/groups';
import { glProgram, MAGNITUDE_KEY_GLSL, onWebGl2, runGlProgram, texelGlsl, unpackedFlat, type GlProgram } from './program';

function nmProgram(size: number): GlProgram {
  return glProgram(
    ['W'],
    [size],
    `
    ${MAGNITUDE_KEY_GLSL}
    ${texelGlsl('W')}
    void main() {
      int index = getOutputCoords();
      int row = index / outChannels; // outer * inChannels + channel
      int o = index - row * outChannels;
      int pos = (row % inChannels) % groupM;
      int first = row - pos;
      uint mine = magnitudeKey(WAt(index));
      int above = 0;
      for (int j = 0; j < groupM; j++) {
        uint k = magnitudeKey(WAt((first + j) * outChannels + o));
        if (k > mine || (k == mine && j < pos)) {
          above++;
        }
      }
      setOutput(above < keepN ? 1.0 : 0.0);
    }
  `,
    [
      { name: 'keepN', type: 'int' },
      { name: 'groupM', type: 'int' },
      { name: 'inChannels', type: 'int' },
      { name: 'outChannels', type: 'int' },
    ],
  );
}

/** True when webglNmMask can run (WebGL 2 with float32 render targets). */
export function webglNmMaskAvailable(): boolean {
  return onWebGl2();
}

/**
 * The 0/1 float32 N:M mask of `w` ([..., inChannels, out], same shape out): the `n` largest |w|
 * of every `m` consecutive input channels at each (position, output) index.
 */
export function webglNmMask(w: tf.Tensor, n: number, m: number): tf.Tensor {
  const { inChannels, out } = requireNmGeometry(w.shape, m);
  return tf.tidy(() => {
    const flat = unpackedFlat(w);
    const mask = runGlProgram(nmProgram(w.size), [flat], [[n], [m], [inChannels], [out]]);
    return tf.reshape(mask, w.shape);
  });
}
