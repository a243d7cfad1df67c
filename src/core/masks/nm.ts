/**
 * N:M masks along the input-channel axis of TF.js kernels ([kh, kw, in, out], [kh, kw, in, mult],
 * [k, in, out], [in, out]; row-major). The group layout is src/core/nm/groups.ts's: M
 * consecutive input channels at one (spatial position, output) index, `out` apart in the array.
 */
import { groupStart, nmGeometry, shapeSize } from '../nm/groups';

/** True when the kernel has an input axis whose size is a multiple of m. */
export function nmFits(shape: number[], m: number): boolean {
  return Number.isInteger(m) && m >= 1 && nmGeometry(shape, m).fits;
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
  const geom = nmGeometry(shape, m);
  if (!geom.fits) throw new Error(`N:M: kernel [${shape.join(', ')}] has no input axis divisible by ${m}`);
  const size = shapeSize(shape);
  if (w.length !== size) throw new Error(`N:M: ${w.length} weights for kernel [${shape.join(', ')}]`);
  const stride = geom.out;
  const mask = new Uint8Array(size);
  const mag = new Float64Array(m);
  const taken = new Uint8Array(m);
  for (let g = 0; g < geom.groups; g++) {
    const start = groupStart(geom, g);
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
  return mask;
}
