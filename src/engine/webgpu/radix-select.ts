/**
 * The search half of the radix-select magnitude mask (magnitude-mask.ts): four histogram
 * dispatches fix the keep-th largest magnitude key 8 bits at a time, high digit first. No select
 * dispatch between them and nothing read back: each workgroup re-derives the digits found so far
 * from the earlier histograms (selectDigitsWgsl), which is cheaper than another launch.
 */
import * as tf from '@tensorflow/tfjs';
import { MAGNITUDE_KEY_WGSL, runProgramInto, uploadedZeros, type GpuProgram } from './program';

/** Bins per histogram: one 8-bit digit of the key. */
const BINS = 256;
/** Digits of a key, high first; keys are below 2^31, so the top one only uses half its bins. */
export const RADIX_DIGITS = 4;
const DIGITS = RADIX_DIGITS;
/** Threads per workgroup: one per bin, which each clears and flushes. */
export const RADIX_THREADS = BINS;
const THREADS = RADIX_THREADS;
/** Bins summed per thread before the walk; SPAN * SPAN = BINS. */
const SPAN = 16;
/** Elements each histogram thread counts, at least: fewer workgroups, fewer global atomics. */
const HISTOGRAM_PER_THREAD = 8;
/** Most histogram workgroups; beyond it threads loop over more elements. */
const HISTOGRAM_GROUPS = 256;

/**
 * WGSL run by every thread of a workgroup: walks the histograms of digits 0..digits-1 high to low
 * and leaves in workgroup memory the high 8*digits bits of the keep-th largest key
 * (`digitsSoFar`) and how many of the keys sharing them are still to keep (`stillToKeep`, >= 1).
 * Each workgroup redoes this from the histograms instead of a select dispatch per digit; 16
 * threads sum 16 bins each and one thread walks those sums and then one span, so a digit costs
 * two barriers (barriers are what a software adapter pays most for) and about 48 serial steps.
 */
export function selectDigitsWgsl(binAt: (i: string) => string): string {
  return `
  var<workgroup> spanSums : array<i32, ${SPAN}>;
  var<workgroup> digitsSoFar : u32;
  var<workgroup> stillToKeep : i32;

  fn selectDigits(digits : i32, lid : i32) {
    if (lid == 0) {
      digitsSoFar = 0u;
      stillToKeep = uniforms.keepCount;
    }
    for (var d = 0; d < digits; d = d + 1) {
      if (lid < ${SPAN}) {
        var s = 0;
        for (var j = 0; j < ${SPAN}; j = j + 1) {
          s = s + ${binAt(`d * ${BINS} + lid * ${SPAN} + j`)};
        }
        spanSums[lid] = s;
      }
      workgroupBarrier();
      if (lid == 0) {
        // From the top, skip what holds fewer than the r still to keep: the r-th largest key has
        // digit b where r or more are at or above b and fewer above. Bounded: never hangs.
        var r = stillToKeep;
        var g = ${SPAN - 1};
        for (; g > 0 && spanSums[g] < r; g = g - 1) {
          r = r - spanSums[g];
        }
        var b = g * ${SPAN} + ${SPAN - 1};
        for (; b > g * ${SPAN}; b = b - 1) {
          let c = ${binAt(`d * ${BINS} + b`)};
          if (c >= r) {
            break;
          }
          r = r - c;
        }
        digitsSoFar = (digitsSoFar << 8u) | u32(b);
        stillToKeep = r;
      }
      workgroupBarrier();
    }
  }
`;
}

/** Counts digit `uniforms.digit` of the keys that share the digits before it with the keep-th largest. */
function histogramProgram(n: number): GpuProgram {
  const groups = Math.min(HISTOGRAM_GROUPS, Math.max(1, Math.ceil(n / (THREADS * HISTOGRAM_PER_THREAD))));
  return {
    variableNames: ['W'],
    outputShape: [DIGITS * BINS],
    shaderKey: 'ptsRadixHistogram',
    dispatchLayout: { x: [0] },
    dispatch: [groups, 1, 1],
    workgroupSize: [THREADS, 1, 1],
    uniforms: 'keepCount : i32, digit : i32,',
    atomic: true,
    getUserCode: () => `
      ${MAGNITUDE_KEY_WGSL}
      ${selectDigitsWgsl((i) => `atomicLoad(&result[${i}])`)}
      var<workgroup> bins : array<atomic<i32>, ${BINS}>;

      fn main(index : i32) {
        let lid = i32(localIndex);
        let digit = uniforms.digit;
        selectDigits(digit, lid);
        atomicStore(&bins[lid], 0);
        workgroupBarrier();
        let high = digitsSoFar;
        let shift = u32(24 - 8 * digit);
        let n = uniforms.wShape;
        let stride = i32(numWorkgroups.x) * ${THREADS};
        for (var i = i32(workgroupId.x) * ${THREADS} + lid; i < n; i = i + stride) {
          let k = magnitudeKey(W[i]);
          if (digit == 0 || (k >> (shift + 8u)) == high) {
            atomicAdd(&bins[(k >> shift) & 255u], 1);
          }
        }
        workgroupBarrier();
        // Workgroup counts go out once per bin: far fewer global atomics than one per key.
        let c = atomicLoad(&bins[lid]);
        if (c > 0) {
          atomicAdd(&result[digit * ${BINS} + lid], c);
        }
      }
    `,
  };
}

/**
 * The int32 [RADIX_DIGITS * 256] histograms of the flat `w` (1 <= keep < w.size) from which
 * selectDigitsWgsl(RADIX_DIGITS) finds the keep-th largest key; `keepCount` must be in the
 * uniforms of every program that reads them.
 */
export function radixHistograms(flat: tf.Tensor, keep: number): tf.Tensor {
  const bins = uploadedZeros(DIGITS * BINS);
  for (let digit = 0; digit < DIGITS; digit++) {
    runProgramInto(histogramProgram(flat.size), [flat], bins, [{ type: 'int32', data: [keep] }, { type: 'int32', data: [digit] }]);
  }
  return bins;
}
