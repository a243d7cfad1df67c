/**
 * Unstructured magnitude masks on WebGL 2 by radix select over uint keys (program.ts
 * magnitudeKey): eight histogram draws fix the keep-th largest key 4 bits at a time
 * (radix-select.ts), one counts the keys equal to it per chunk, one writes the mask. Ten draws per
 * layer whatever its size (eleven when the weights come packed), where the generic ops' threshold
 * selection makes about 380 shader runs; the mask equals src/core/masks/magnitude.ts's bit for bit
 * (ties at the threshold to the lower flat index, NaN below every real value), and nothing is
 * read back.
 */
import * as tf from '@tensorflow/tfjs';
import { glProgram, MAGNITUDE_KEY_GLSL, onWebGl2, runGlProgram, texelGlsl, unpackedFlat, type GlProgram } from './program';
import { MAX_CHUNK, radixHistogram, TAIL, TAIL_GLSL, WALK_GLSL } from './radix-select';

/** Keys per small chunk: a tied key scans at most this many keys before it. */
const SMALL = 32;
/** Counts are stored as float32: exact up to 2^24. */
const MAX_SIZE = 2 ** 24;

/**
 * Histogram chunk size: a fragment scans `chunk` keys and walks 8 * chunks bin pairs (half of
 * them on average), so the two balance near 2 sqrt(n). A multiple of SMALL, so small chunks nest
 * in histogram chunks.
 */
export function chunkOf(n: number): number {
  return Math.min(Math.floor(MAX_CHUNK / SMALL) * SMALL, Math.max(SMALL, Math.ceil((2 * Math.sqrt(n)) / SMALL) * SMALL));
}

/**
 * Per histogram chunk then per small chunk, the keys equal to the threshold key; then the
 * threshold (high, low 16 bits) and how many keys equal to it are kept.
 */
function tieCountProgram(outputSize: number): GlProgram {
  return glProgram(
    ['W', 'H'],
    [outputSize],
    `
    ${MAGNITUDE_KEY_GLSL}
    ${texelGlsl('W')}
    ${WALK_GLSL}
    ${TAIL_GLSL}
    void main() {
      int i = getOutputCoords();
      walk();
      int tail = chunks + (size + ${SMALL - 1}) / ${SMALL};
      if (i >= tail) {
        setOutput(tailEntry(i - tail));
        return;
      }
      int start = i < chunks ? i * chunk : (i - chunks) * ${SMALL};
      int end = min(start + (i < chunks ? chunk : ${SMALL}), size);
      ivec2 p = WTexel(start);
      int count = 0;
      for (int j = start; j < end; j++) {
        if (magnitudeKey(texelFetch(W, p, 0).r) == prefix) {
          count++;
        }
        p = WStep(p);
      }
      setOutput(float(count));
    }
  `,
    [
      { name: 'chunk', type: 'int' },
      { name: 'chunks', type: 'int' },
      { name: 'size', type: 'int' },
    ],
  );
}

/**
 * 1 where the key is above the threshold, or equal to it with fewer than the kept count of equal
 * keys before it in flat order: those of earlier histogram chunks, of earlier small chunks in its
 * histogram chunk, and earlier in its small chunk. Only tied keys pay for the count.
 */
function maskProgram(n: number): GlProgram {
  return glProgram(
    ['W', 'Q'],
    [n],
    `
    ${MAGNITUDE_KEY_GLSL}
    ${texelGlsl('W')}
    ${texelGlsl('Q')}
    void main() {
      int i = getOutputCoords();
      int tail = chunks + (size + ${SMALL - 1}) / ${SMALL};
      uint t = (uint(QAt(tail)) << 16) | uint(QAt(tail + 1));
      int kept = int(QAt(tail + 2));
      uint k = magnitudeKey(WAt(i));
      if (k != t) {
        setOutput(k > t ? 1.0 : 0.0);
        return;
      }
      int big = i / chunk;
      int rank = 0;
      ivec2 p = QTexel(0);
      for (int c = 0; c < big; c++) {
        rank += int(texelFetch(Q, p, 0).r);
        p = QStep(p);
      }
      int s = i / ${SMALL};
      int first = big * (chunk / ${SMALL});
      p = QTexel(chunks + first);
      for (int j = first; j < s; j++) {
        rank += int(texelFetch(Q, p, 0).r);
        p = QStep(p);
      }
      p = WTexel(s * ${SMALL});
      for (int j = s * ${SMALL}; j < i; j++) {
        if (magnitudeKey(texelFetch(W, p, 0).r) == t) {
          rank++;
        }
        p = WStep(p);
      }
      setOutput(rank < kept ? 1.0 : 0.0);
    }
  `,
    [
      { name: 'chunk', type: 'int' },
      { name: 'chunks', type: 'int' },
      { name: 'size', type: 'int' },
    ],
  );
}

/** True when webglMagnitudeMask can run (WebGL 2 with float32 render targets). */
export function webglMagnitudeMaskAvailable(): boolean {
  return onWebGl2();
}

/**
 * The 0/1 float32 mask of `w` (same shape) keeping exactly `keep` of the largest |w|, ties at the
 * threshold to the lower flat index, NaN below every real value: src/core/masks/magnitude.ts's
 * mask, computed on WebGL without reading anything back.
 */
export function webglMagnitudeMask(w: tf.Tensor, keep: number): tf.Tensor {
  const n = w.size;
  if (n > MAX_SIZE) throw new Error(`WebGL magnitude mask: ${n} weights is more than one layer of ${MAX_SIZE}`);
  return tf.tidy(() => {
    if (keep >= n) return tf.onesLike(w);
    if (keep <= 0) return tf.zerosLike(w);
    const flat = unpackedFlat(w);
    const chunk = chunkOf(n);
    const chunks = Math.ceil(n / chunk);
    const sizes = [[chunk], [chunks], [n]];
    const h = radixHistogram(flat, keep, chunk, chunks);
    const ties = runGlProgram(tieCountProgram(chunks + Math.ceil(n / SMALL) + TAIL), [flat, h], sizes);
    return tf.reshape(runGlProgram(maskProgram(n), [flat, ties], sizes), w.shape);
  });
}
