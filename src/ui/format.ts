/** Number formatting shared by the panels and charts. */

/** 0.4567 -> "45.7%". */
export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
}

/**
 * An axis tick as a percentage to two significant digits, so ticks close to 0 stay apart:
 * 0.0002 -> "0.02%" and 0.0004 -> "0.04%", where one decimal prints "0.0%" for both.
 */
export function pctTick(x: number): string {
  return Number.isFinite(x) ? `${Number((x * 100).toPrecision(2))}%` : '–';
}

/** Compact number: 475544 -> "475.5k", 0.000123 -> "1.23e-4", 6.4e20 (a blown-up loss) -> "6.40e+20". */
export function num(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1e9) return x.toExponential(2);
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (Number.isInteger(x) || a >= 1e3) return x.toFixed(0);
  if (a !== 0 && a < 1e-3) return x.toExponential(2);
  return x.toPrecision(3);
}

/** Whole number with thousands separators. */
export function count(x: number): string {
  return x.toLocaleString('en-US');
}

/** 75 -> "1m 15s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** 1536 -> "1.5 KB". */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The message of anything thrown. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
