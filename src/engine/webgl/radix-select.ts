/**
 * The search half of the WebGL radix-select magnitude mask (magnitude-mask.ts): eight histogram
 * draws fix the keep-th largest magnitude key 4 bits at a time, high digit first. A fragment
 * shader cannot scatter or add atomically, so a histogram is gathered: fragment (bin pair, chunk)
 * counts the keys of its chunk that share the digits found so far and have either digit of the
 * pair. No select draw between digits: every fragment re-derives the previous digit from the
 * previous histogram (WALK_GLSL), whose tail carries the digits before it; nothing is read back.
 */
import * as tf from '@tensorflow/tfjs';
import { glProgram, MAGNITUDE_KEY_GLSL, runGlProgram, texelGlsl, type GlProgram } from './program';

/** Bins per histogram: one 4-bit digit. Every key is fetched once per bin pair, so 16 bins cost
 * an eighth of what 8-bit digits would while only doubling the draws. */
const BINS = 16;
/** Two bins share an entry: count(2g) + PAIR_BASE * count(2g + 1), exact in a float32 while
 * chunks hold fewer than PAIR_BASE keys. Texel fetches are what a software renderer pays most
 * for, and this halves them in the scan and in the walk. */
const PAIRS = BINS / 2;
const PAIR_BASE = 4096;
/** Most keys a histogram chunk may hold. */
export const MAX_CHUNK = PAIR_BASE - 1;
/** Digits of a 32-bit key, high first. */
const DIGITS = 8;
/** Entries after the bins: the digits fixed so far (high and low 16 bits, exact as floats) and how
 * many of the keys sharing them are still to keep. */
export const TAIL = 3;

/**
 * GLSL declaring `prefix` and `still` and `walk()`, which reads the state a histogram `H` of
 * `chunks` chunks was counted under and fixes one more digit from its bins: from the top bin,
 * skip bins holding fewer than `still`; the keep-th largest key has the first digit where the
 * count reaches it. Bounded: bin 0 takes what is left. Pairs are stored pair-major, so each sum
 * steps through consecutive texels.
 */
export const WALK_GLSL = `
  ${texelGlsl('H')}
  uint prefix;
  int still;
  void walk() {
    int tail = ${PAIRS} * chunks;
    prefix = (uint(HAt(tail)) << 16) | uint(HAt(tail + 1));
    still = int(HAt(tail + 2));
    int b = 0;
    for (int g = ${PAIRS - 1}; g >= 0; g--) {
      int low = 0;
      int high = 0;
      ivec2 p = HTexel(g * chunks);
      for (int c = 0; c < chunks; c++) {
        int v = int(texelFetch(H, p, 0).r);
        high += v / ${PAIR_BASE};
        low += v - (v / ${PAIR_BASE}) * ${PAIR_BASE};
        p = HStep(p);
      }
      if (high >= still) {
        b = 2 * g + 1;
        break;
      }
      still -= high;
      if (low >= still || g == 0) {
        b = 2 * g;
        break;
      }
      still -= low;
    }
    prefix = (prefix << 4) | uint(b);
  }
`;

/** Writes a tail entry `f` (0..2) of the state `prefix`, `still`. */
export const TAIL_GLSL = `
  float tailEntry(int f) {
    return f == 0 ? float(prefix >> 16) : f == 1 ? float(prefix & 0xffffu) : float(still);
  }
`;

/** Digit `digit`'s histogram, [PAIRS * chunks] pair-major, then the state it was counted under. */
function histogramProgram(outputSize: number, first: boolean): GlProgram {
  return glProgram(
    first ? ['W'] : ['W', 'H'],
    [outputSize],
    `
    ${MAGNITUDE_KEY_GLSL}
    ${texelGlsl('W')}
    ${first ? 'uint prefix; int still;' : WALK_GLSL}
    ${TAIL_GLSL}
    void main() {
      int i = getOutputCoords();
      ${first ? 'prefix = 0u; still = keepCount;' : 'walk();'}
      int tail = ${PAIRS} * chunks;
      if (i >= tail) {
        setOutput(tailEntry(i - tail));
        return;
      }
      int g = i / chunks;
      int c = i - g * chunks;
      // The key's digits down to this one but its last bit, as they must read for this pair: one
      // comparison checks both the prefix found so far and the pair; the last bit picks the bin.
      uint want = (prefix << 3) | uint(g);
      uint shift = uint(${4 * (DIGITS - 1)} - 4 * digit);
      int start = c * chunk;
      int end = min(start + chunk, size);
      ivec2 p = WTexel(start);
      int low = 0;
      int high = 0;
      for (int j = start; j < end; j++) {
        uint d = magnitudeKey(texelFetch(W, p, 0).r) >> shift;
        if ((d >> 1) == want) {
          if ((d & 1u) == 1u) {
            high++;
          } else {
            low++;
          }
        }
        p = WStep(p);
      }
      setOutput(float(low + ${PAIR_BASE} * high));
    }
  `,
    [
      { name: 'keepCount', type: 'int' },
      { name: 'digit', type: 'int' },
      { name: 'chunk', type: 'int' },
      { name: 'chunks', type: 'int' },
      { name: 'size', type: 'int' },
    ],
  );
}

/**
 * The last digit's histogram of the flat float32 `flat` (1 <= keep < size), split in `chunks`
 * chunks of `chunk` (at most MAX_CHUNK) keys; WALK_GLSL over it gives the keep-th largest key and
 * how many keys equal to it are kept.
 */
export function radixHistogram(flat: tf.Tensor, keep: number, chunk: number, chunks: number): tf.Tensor {
  const outputSize = PAIRS * chunks + TAIL;
  const uniforms = (digit: number) => [[keep], [digit], [chunk], [chunks], [flat.size]];
  let h = runGlProgram(histogramProgram(outputSize, true), [flat], uniforms(0));
  for (let digit = 1; digit < DIGITS; digit++) {
    h = runGlProgram(histogramProgram(outputSize, false), [flat, h], uniforms(digit));
  }
  return h;
}
