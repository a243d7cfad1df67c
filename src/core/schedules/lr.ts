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
