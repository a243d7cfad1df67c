/** Shared wording of the teaching notes: which score a run speaks of, and numbers as a class reads them. */
import type { Metrics } from '../../core/events';
import { headlineScore } from '../../core/metrics/score';

/** "top-1 accuracy" when the images are labelled, else "agreement with the dense model". */
export function scoreName(m: Metrics): string {
  return m.top1 !== undefined ? 'top-1 accuracy' : 'agreement with the dense model';
}

/** The score a run is judged by (top-1 when labelled, else agreement), in [0, 1]. */
export const score = (m: Metrics): number => headlineScore(m);

/** 0.4567 -> "45.7%". */
export const percent = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;

/** A KL gap to two decimals; one that blew up in exponent form, not twenty digits: 1.84e+22. */
export const gap = (x: number): string => (Math.abs(x) < 1e6 ? x.toFixed(2) : x.toExponential(2));

/** Points between two scores: 0.5 - 0.367 -> "13.3 points". */
export const points = (a: number, b: number): string => `${(Math.abs(a - b) * 100).toFixed(1)} points`;

/** Up to three names joined with commas and "and". */
export function listWords(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
}

/** Mean of the last (or first) `n` values of a series. */
export function meanOf(values: number[], n: number, from: 'first' | 'last'): number {
  const part = from === 'first' ? values.slice(0, n) : values.slice(-n);
  return part.reduce((a, v) => a + v, 0) / Math.max(part.length, 1);
}
