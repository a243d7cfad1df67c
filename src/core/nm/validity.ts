/**
 * Independent N:M checker: proves that every group of M consecutive input channels holds at
 * most N non-zeros. Exact zeros (+0 and -0) count as pruned; anything else, NaN included, counts
 * as kept. It never trusts the mask maker: it reads only the weights.
 */
import { assertNm, groupStart, nmGeometry, shapeSize } from './groups';

/** Most violations reported one by one; the rest are only counted. */
const MAX_REPORTED = 10;

/** One group that holds more than N non-zeros. */
export interface NmViolation {
  /** Group number, in the order of src/core/nm/groups.ts. */
  group: number;
  /** Flat indices of the group's M weights. */
  indices: number[];
  /** Non-zeros found in the group (more than N). */
  nonZeros: number;
}

/** Verdict of checkNm on one kernel. */
export interface NmValidity {
  /** True when the kernel fits N:M and no group holds more than N non-zeros. */
  valid: boolean;
  /** Number of groups checked (0 when the kernel does not fit). */
  groups: number;
  /** Number of groups holding more than N non-zeros. */
  violations: number;
  /** The first violations in group order, at most 10. */
  firstViolations: NmViolation[];
  /** False when the input-channel count is not a positive multiple of M (or there is no such axis). */
  fits: boolean;
  /** One sentence for the user. */
  message: string;
}

/** Formats a count with thousands separators, the same in every locale ("1,152"). */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Checks that every N:M group of a TF.js kernel holds at most N non-zeros. */
export function checkNm(
  weights: ArrayLike<number>,
  shape: number[],
  n: number,
  m: number,
  layerName?: string,
): NmValidity {
  assertNm(n, m);
  const params = shapeSize(shape);
  if (weights.length !== params) {
    throw new RangeError(`checkNm: ${weights.length} weights for shape [${shape.join(', ')}] (${params})`);
  }
  const pattern = `${n}:${m}`;
  const geom = nmGeometry(shape, m);
  if (!geom.fits) {
    const who = layerName ?? 'this layer';
    const why =
      shape.length < 2
        ? `its shape [${shape.join(', ')}] has no input-channel axis`
        : `its ${formatCount(geom.inChannels)} input channels are not a multiple of ${m}`;
    return { valid: false, groups: 0, violations: 0, firstViolations: [], fits: false, message: `${pattern} cannot apply to ${who}: ${why}.` };
  }

  const firstViolations: NmViolation[] = [];
  let violations = 0;
  for (let g = 0; g < geom.groups; g++) {
    const start = groupStart(geom, g);
    let nonZeros = 0;
    for (let j = 0; j < m; j++) {
      if (weights[start + j * geom.out] !== 0) nonZeros++;
    }
    if (nonZeros <= n) continue;
    violations++;
    if (firstViolations.length < MAX_REPORTED) {
      const indices = Array.from({ length: m }, (_, j) => start + j * geom.out);
      firstViolations.push({ group: g, indices, nonZeros });
    }
  }

  const of = layerName === undefined ? '' : ` of ${layerName}`;
  const all = geom.groups === 1 ? 'the only group' : `all ${formatCount(geom.groups)} groups`;
  const first = firstViolations[0];
  const message =
    first === undefined
      ? `${pattern} holds in ${all}${of}.`
      : `${pattern} fails in ${formatCount(violations)} of ${formatCount(geom.groups)} groups${of}; ` +
        `the first, group ${formatCount(first.group)}, holds ${first.nonZeros} non-zeros.`;
  return { valid: violations === 0, groups: geom.groups, violations, firstViolations, fits: true, message };
}
