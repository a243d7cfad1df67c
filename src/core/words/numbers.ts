/** Numbers as people read them, shared by the page and the CLI. */

/**
 * A learning rate to two significant digits: 0.0005689693714699657 -> "0.00057", 0.03 -> "0.03",
 * 2.5e-7 -> "2.5e-7". Rates are chosen to about that precision; more digits are noise.
 */
export function rateText(lr: number): string {
  return Number.isFinite(lr) ? String(Number(lr.toPrecision(2))) : String(lr);
}
