import { shapeSize } from '../distributions/global';
/**
 * Where the N:M groups of a TF.js kernel lie. A group is M consecutive input channels (axis
 * `shape.length - 2`) at a fixed (spatial position, output) index. Groups are numbered in
 * ascending order of the flat index of their first weight: spatial position, then block of M
 * input channels, then output index, i.e. row-major over [outer, in / M, out].
 */

/** The group layout of one kernel for one group size M. */
export interface NmGeometry {
  /** Product of the axes before the input-channel axis (kh * kw for Conv2D, 1 for Dense). */
  outer: number;
  /** Input channels: the size of axis `shape.length - 2`. */
  inChannels: number;
  /** Size of the last axis (output channels, or the depthwise multiplier). */
  out: number;
  /** Group size M. */
  m: number;
  /** True when the kernel has at least 2 axes and inChannels is a positive multiple of M. */
  fits: boolean;
  /** Number of groups, outer * (inChannels / M) * out; 0 when the kernel does not fit. */
  groups: number;
}

export { shapeSize };

/** Throws unless 1 <= n <= m are integers. */
export function assertNm(n: number, m: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || n > m) {
    throw new RangeError(`N:M needs integers 1 <= N <= M, got ${n}:${m}`);
  }
}

/** The group layout of a kernel of this shape for groups of M input channels. */
export function nmGeometry(shape: readonly number[], m: number): NmGeometry {
  if (shape.length < 2) {
    return { outer: 1, inChannels: 0, out: 0, m, fits: false, groups: 0 };
  }
  const inChannels = shape[shape.length - 2] ?? 0;
  const out = shape[shape.length - 1] ?? 0;
  const outer = shapeSize(shape.slice(0, -2));
  const fits = inChannels > 0 && out > 0 && outer > 0 && inChannels % m === 0;
  const groups = fits ? outer * (inChannels / m) * out : 0;
  return { outer, inChannels, out, m, fits, groups };
}

/** nmGeometry of a kernel about to be masked: throws, saying why, when it has no groups of M. */
export function requireNmGeometry(shape: readonly number[], m: number): NmGeometry {
  if (shape.length < 2) throw new Error(`N:M mask: a kernel of rank ${shape.length} has no input-channel axis`);
  const geom = nmGeometry(shape, m);
  if (geom.inChannels % m !== 0) throw new Error(`N:M mask: ${geom.inChannels} input channels are not a multiple of ${m}`);
  return geom;
}

/** Flat index of the first weight of a group; its M weights follow at a stride of `geom.out`. */
export function groupStart(geom: NmGeometry, group: number): number {
  const blocks = geom.inChannels / geom.m;
  const o = group % geom.out;
  const rest = (group - o) / geom.out;
  const block = rest % blocks;
  const s = (rest - block) / blocks;
  return (s * geom.inChannels + block * geom.m) * geom.out + o;
}

/** Bits needed to store a position inside a group of M: ceil(log2 M), 0 when M = 1. */
export function indexBits(m: number): number {
  let bits = 0;
  while (2 ** bits < m) bits++;
  return bits;
}
