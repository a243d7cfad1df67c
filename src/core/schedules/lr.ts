/** Learning-rate schedule of DST: linear warm-up, then cosine decay to zero. */

/**
 * Learning rate at a 0-based step: baseLr * (step + 1) / warmupSteps during warm-up (so step 0
 * gets baseLr / warmupSteps and the last warm-up step baseLr), then
 * baseLr * (1 + cos(pi * progress)) / 2 with progress 0 at warmupSteps and 1 at totalSteps.
 */
export function cosineLr(step: number, totalSteps: number, baseLr: number, warmupSteps: number): number {
  const warm = Math.max(0, Math.floor(warmupSteps));
  if (step < warm) return (baseLr * (step + 1)) / warm;
  const span = totalSteps - warm;
  if (span <= 0) return 0;
  const progress = Math.min(1, Math.max(0, (step - warm) / span));
  return 0.5 * baseLr * (1 + Math.cos(Math.PI * progress));
}


/**
 * cosineLr for a run with a deadline: after warm-up the cosine's progress is the larger of the steps' and the time's
 * (`timeProgress`: the share of the time from the cosine's start to the deadline used so far; 0 without a deadline).
 * A run that keeps to its plan follows the steps' schedule; one that falls behind still decays its rate to zero by
 * the deadline, instead of being cut off there with the rate still high.
 */
export function cosineLrWithin(step: number, totalSteps: number, baseLr: number, warmupSteps: number, timeProgress: number): number {
  const warm = Math.max(0, Math.floor(warmupSteps));
  if (step < warm || !(timeProgress > 0)) return cosineLr(step, totalSteps, baseLr, warmupSteps);
  const span = totalSteps - warm;
  if (span <= 0) return 0;
  const progress = Math.min(1, Math.max(0, (step - warm) / span, timeProgress));
  return 0.5 * baseLr * (1 + Math.cos(Math.PI * progress));
}
