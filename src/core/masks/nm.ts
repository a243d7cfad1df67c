/**
 * N:M masks along the input-channel axis of TF.js kernels ([kh, kw, in, out], [kh, kw, in, mult],
 * [k, in, out], [in, out]; row-major). A group is M consecutive input channels at one fixed
 * (spatial position, output) index, so its members sit `stride` = out apart in the flat array.
 */

/** Where the N:M groups of a kernel lie in its flat array. */
export interface NmLayout {
  /** Number of groups of M weights. */
  groups: number;
  /** Flat distance between consecutive members of a group (the size of the last axis). */
  stride: number;
  /** Product of the axes before the input axis (spatial positions; 1 for Dense). */
  outer: number;
  /** Input channels (shape[length - 2]). */
  channels: number;
  /** Size of the last axis (outputs, or the depth multiplier). */
  inner: number;
}

/** Index of the input-channel axis. */
function inputAxis(shape: number[]): number {
  return shape.length - 2;
}

/** True when the kernel has an input axis whose size is a multiple of m. */
export function nmFits(shape: number[], m: number): boolean {
  if (shape.length < 2 || !Number.isInteger(m) || m < 1) return false;
  const cin = shape[inputAxis(shape)]!;
  return cin > 0 && cin % m === 0;
}

/** Group layout of a kernel for groups of m; throws when the kernel does not fit. */
export function nmGroupIndices(shape: number[], m: number): NmLayout {
  if (!nmFits(shape, m)) {
    throw new Error(`N:M: kernel [${shape.join(', ')}] has no input axis divisible by ${m}`);
  }
  const axis = inputAxis(shape);
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  const channels = shape[axis]!;
  const inner = shape[axis + 1]!;
  return { groups: outer * (channels / m) * inner, stride: inner, outer, channels, inner };
}

/** Flat index of the first member of group g (groups ordered by outer, channel block, inner). */
export function nmGroupStart(layout: NmLayout, m: number, g: number): number {
  const { inner, channels } = layout;
  const blocks = channels / m;
  const j = g % inner;
  const rest = (g - j) / inner;
  const block = rest % blocks;
  const o = (rest - block) / blocks;
  return (o * channels + block * m) * inner + j;
}

/** Sparsity of an N:M pattern: 1 - n / m. */
export function nmSparsity(n: number, m: number): number {
  return 1 - n / m;
}

/**
 * N:M mask (1 = kept): in every group the n largest |w| are kept; equal magnitudes keep the
 * lower channel first. Throws when the kernel does not fit, n >= m, n < 1 or sizes disagree.
 */
export function nmMask(w: ArrayLike<number>, shape: number[], n: number, m: number): Uint8Array {
  if (!Number.isInteger(n) || n < 1 || n >= m) throw new Error(`N:M needs 1 <= N < M; got ${n}:${m}`);
  const layout = nmGroupIndices(shape, m);
  const size = shape.reduce((a, b) => a * b, 1);
  if (w.length !== size) throw new Error(`N:M: ${w.length} weights for kernel [${shape.join(', ')}]`);
  const { outer, channels, inner, stride } = layout;
  const mask = new Uint8Array(size);
  const mag = new Float64Array(m);
  const taken = new Uint8Array(m);
  for (let o = 0; o < outer; o++) {
    for (let c0 = 0; c0 < channels; c0 += m) {
      for (let j = 0; j < inner; j++) {
        const start = (o * channels + c0) * inner + j;
        for (let t = 0; t < m; t++) {
          const a = Math.abs(w[start + t * stride]!);
          mag[t] = a === a ? a : -1; // NaN ranks below every real weight
          taken[t] = 0;
        }
        // Groups are tiny (M is 4..16): n rounds of "largest not yet taken", first index wins ties.
        for (let r = 0; r < n; r++) {
          let best = -1;
          for (let t = 0; t < m; t++) {
            if (taken[t] === 0 && (best < 0 || mag[t]! > mag[best]!)) best = t;
          }
          taken[best] = 1;
          mask[start + best * stride] = 1;
        }
      }
    }
  }
  return mask;
}
