/**
 * Schedules of tau = ln(base) for the base-decayed KL: the loss divides the student's natural
 * log by tau, so a shrinking tau raises the gradient as the dense/sparse gap closes.
 */

/** tau at a 0-based epoch: tau0 * gamma^epoch (paper: tau0 = 8, gamma = 0.99). */
export function tauAt(epoch: number, tau0: number, gamma: number): number {
  return tau0 * Math.pow(gamma, epoch);
}

/** tau over a whole run by run progress in 0..1: geometric from tauStart to tauEnd. */
export function tauLinearLog(progress: number, tauStart: number, tauEnd: number): number {
  const t = Math.min(1, Math.max(0, progress));
  return tauStart * Math.pow(tauEnd / tauStart, t);
}
