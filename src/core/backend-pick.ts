/**
 * Choosing a backend from the start-up probe's figures, and saying why in one line. Pure, so the
 * rule and its wording are tested without a browser.
 */
import type { BackendProbe } from './session-types';

/** Every TF.js backend the studio can run on, in the order the probe table lists them. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** One of BACKENDS. */
export type BackendName = (typeof BACKENDS)[number];

/** Whole milliseconds with thousands separators: 2300.4 -> "2,300". */
export function formatMs(ms: number): string {
  return Math.round(ms).toLocaleString('en-US');
}

/**
 * The backend to train on: the measured one with the fewest ms per step; when none was measured,
 * the slow one (warm-up past the budget) whose warm-up was shortest; null when every one failed.
 */
export function fastestProbe(probes: readonly BackendProbe[]): BackendProbe | null {
  const byMs = (pick: (p: BackendProbe) => number | null, status: BackendProbe['status']) =>
    probes
      .filter((p) => p.status === status && pick(p) !== null)
      .reduce<BackendProbe | null>((best, p) => (best === null || pick(p)! < pick(best)! ? p : best), null);
  return byMs((p) => p.msPerStep, 'measured') ?? byMs((p) => p.warmupMs, 'slow');
}

/** "webgpu 2,300 ms (software adapter)", "webgl over 3,000 ms (warm-up)", "cpu failed (…)". */
export function describeProbe(p: BackendProbe): string {
  const detail = p.detail ? ` (${p.detail})` : '';
  if (p.status === 'measured' && p.msPerStep !== null) return `${p.name} ${formatMs(p.msPerStep)} ms${detail}`;
  if (p.status === 'slow' && p.warmupMs !== null) return `${p.name} over ${formatMs(p.warmupMs)} ms${detail}`;
  return `${p.name} ${p.status}${detail}`;
}

/**
 * The note that explains a pick, e.g. "Picked wasm: 45 ms per probe step vs webgpu 2,300 ms
 * (software adapter), webgl 310 ms." Skipped backends are left out (the table shows them).
 */
export function pickNote(chosen: BackendProbe, probes: readonly BackendProbe[], requested: boolean): string {
  const own =
    chosen.status === 'measured' && chosen.msPerStep !== null
      ? `${formatMs(chosen.msPerStep)} ms per probe step`
      : chosen.warmupMs !== null
        ? `its probe warm-up took over ${formatMs(chosen.warmupMs)} ms`
        : 'not timed';
  const head = requested ? `Using ${chosen.name}, as requested: ${own}` : `Picked ${chosen.name}: ${own}`;
  const others = probes.filter((p) => p !== chosen && p.status !== 'skipped').map(describeProbe);
  return others.length ? `${head} vs ${others.join(', ')}.` : `${head}.`;
}
