/**
 * Unstructured magnitude masks on WebGPU by radix select over u32 keys (program.ts
 * magnitudeKey): four histogram dispatches fix the keep-th largest key 8 bits at a time
 * (radix-select.ts), one counts the keys equal to it per chunk, one writes the mask. Six
 * dispatches and one small upload per layer whatever its size, where the generic ops' threshold
 * selection runs about 150; the mask equals src/core/masks/magnitude.ts's bit for bit (ties at the threshold to the lower flat
 * index, NaN below every real value), and nothing is read back.
 */
import * as tf from '@tensorflow/tfjs';
import { flatDispatch, MAGNITUDE_KEY_WGSL, onWebGpu, runProgram, type GpuProgram, type GpuUniforms } from './program';
import { RADIX_DIGITS as DIGITS, RADIX_THREADS as THREADS, radixHistograms, selectDigitsWgsl } from './radix-select';

/** Consecutive elements per thread in the tie-count and mask programs. */
const CHUNK_PER_THREAD = 4;
/** Elements per workgroup (a chunk) in those programs: ties are ranked chunk by chunk. */
const CHUNK = THREADS * CHUNK_PER_THREAD;
/** WebGPU's guaranteed workgroups per dispatch dimension. */
const MAX_WORKGROUPS = 65535;
/** Threads per span in the mask's two-level scan. */
const SPAN = 16;

/** The start of a thread's run of CHUNK_PER_THREAD elements, and the count of its keys equal to `t`. */
const CHUNK_WGSL = `
  fn firstOfThread(lid : i32) -> i32 {
    return (i32(workgroupId.x) * ${THREADS} + lid) * ${CHUNK_PER_THREAD};
  }
  fn equalKeys(start : i32, t : u32) -> i32 {
    var count = 0;
    for (var e = 0; e < ${CHUNK_PER_THREAD}; e = e + 1) {
      let i = start + e;
      if (i < uniforms.wShape && magnitudeKey(W[i]) == t) {
        count = count + 1;
      }
    }
    return count;
  }
`;

/** Per chunk, the keys equal to the threshold key. */
function tieCountProgram(n: number): GpuProgram {
  return {
    variableNames: ['W', 'H'],
    outputShape: [Math.ceil(n / CHUNK)],
    shaderKey: 'ptsRadixTies',
    ...flatDispatch(n, CHUNK),
    workgroupSize: [THREADS, 1, 1],
    uniforms: 'keepCount : i32,',
    getUserCode: () => `
      ${MAGNITUDE_KEY_WGSL}
      ${selectDigitsWgsl((i) => `H[${i}]`)}
      ${CHUNK_WGSL}
      var<workgroup> ties : atomic<i32>;

      fn main(index : i32) {
        let lid = i32(localIndex);
        selectDigits(${DIGITS}, lid);
        if (lid == 0) {
          atomicStore(&ties, 0);
        }
        workgroupBarrier();
        atomicAdd(&ties, equalKeys(firstOfThread(lid), digitsSoFar));
        workgroupBarrier();
        if (lid == 0) {
          result[workgroupId.x] = atomicLoad(&ties);
        }
      }
    `,
  };
}

/**
 * 1 where the key is above the threshold, or equal to it with fewer than `stillToKeep` equal keys
 * before it in flat order: those of earlier chunks (summed from the tie counts) plus earlier ones
 * in this chunk (a workgroup prefix scan).
 */
function maskProgram(n: number): GpuProgram {
  return {
    variableNames: ['W', 'H', 'C'],
    outputShape: [n],
    shaderKey: 'ptsRadixMask',
    ...flatDispatch(n, CHUNK),
    workgroupSize: [THREADS, 1, 1],
    uniforms: 'keepCount : i32,',
    getUserCode: () => `
      ${MAGNITUDE_KEY_WGSL}
      ${selectDigitsWgsl((i) => `H[${i}]`)}
      ${CHUNK_WGSL}
      var<workgroup> slots : array<i32, ${THREADS}>;
      var<workgroup> spanBase : array<i32, ${THREADS / SPAN}>;
      var<workgroup> earlierTotal : atomic<i32>;

      fn main(index : i32) {
        let lid = i32(localIndex);
        selectDigits(${DIGITS}, lid);
        let t = digitsSoFar;
        let r = stillToKeep;
        if (lid == 0) {
          atomicStore(&earlierTotal, 0);
        }
        var partial = 0;
        for (var c = lid; c < i32(workgroupId.x); c = c + ${THREADS}) {
          partial = partial + C[c];
        }
        let start = firstOfThread(lid);
        slots[lid] = equalKeys(start, t);
        workgroupBarrier();
        // Two-level exclusive scan of the threads' ties (three barriers instead of sixteen):
        // spans of 16 threads, then the spans, starting from the earlier chunks' total.
        if (partial > 0) {
          atomicAdd(&earlierTotal, partial);
        }
        if (lid < ${THREADS / SPAN}) {
          var run = 0;
          for (var j = lid * ${SPAN}; j < (lid + 1) * ${SPAN}; j = j + 1) {
            let s = slots[j];
            slots[j] = run;
            run = run + s;
          }
          spanBase[lid] = run;
        }
        workgroupBarrier();
        if (lid == 0) {
          var run = atomicLoad(&earlierTotal);
          for (var g = 0; g < ${THREADS / SPAN}; g = g + 1) {
            let s = spanBase[g];
            spanBase[g] = run;
            run = run + s;
          }
        }
        workgroupBarrier();
        var rank = spanBase[lid / ${SPAN}] + slots[lid];
        for (var e = 0; e < ${CHUNK_PER_THREAD}; e = e + 1) {
          let i = start + e;
          if (i < uniforms.wShape) {
            let k = magnitudeKey(W[i]);
            var kept = k > t;
            if (k == t) {
              kept = rank < r;
              rank = rank + 1;
            }
            result[i] = select(0.0, 1.0, kept);
          }
        }
      }
    `,
  };
}

/** True when webgpuMagnitudeMask can run (the active backend is WebGPU). */
export function webgpuMagnitudeMaskAvailable(): boolean {
  return onWebGpu();
}

/**
 * The 0/1 float32 mask of `w` (same shape) keeping exactly `keep` of the largest |w|, ties at the
 * threshold to the lower flat index, NaN below every real value: src/core/masks/magnitude.ts's
 * mask, computed on WebGPU without reading anything back.
 */
export function webgpuMagnitudeMask(w: tf.Tensor, keep: number): tf.Tensor {
  const n = w.size;
  // A chunk is a workgroup, indexed by workgroup_id.x alone.
  if (Math.ceil(n / CHUNK) > MAX_WORKGROUPS) throw new Error(`WebGPU magnitude mask: ${n} weights is more than one layer of ${MAX_WORKGROUPS * CHUNK}`);
  return tf.tidy(() => {
    if (keep >= n) return tf.onesLike(w);
    if (keep <= 0) return tf.zerosLike(w);
    const flat = tf.reshape(w.dtype === 'float32' ? w : tf.cast(w, 'float32'), [n]);
    const bins = radixHistograms(flat, keep);
    const keepCount: GpuUniforms = [{ type: 'int32', data: [keep] }];
    const ties = runProgram(tieCountProgram(n), [flat, bins], 'int32', keepCount);
    return tf.reshape(runProgram(maskProgram(n), [flat, bins, ties], 'float32', keepCount), w.shape);
  });
}
