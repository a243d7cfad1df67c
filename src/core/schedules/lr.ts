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

/** What fitStepsToDeadline needs: where training is and how fast it has gone. */
export interface DeadlineFit {
  /** Steps done. */
  step: number;
  /** Steps the schedule ends at now. */
  planned: number;
  /** Warm-up steps (a schedule is never shortened into its warm-up). */
  warmup: number;
  /** Steps this run has timed (resumed steps not included) and the wall time they took, evaluations and saves included. */
  timedSteps: number;
  timedMs: number;
  /** Wall time left until the deadline. */
  msLeft: number;
}

/** Steps a run must have timed before its pace decides anything. */
export const DEADLINE_FIT_MIN_STEPS = 3;

/**
 * The step the schedule should end at so that training finishes by its deadline at the pace so far: `planned` when
 * it fits (or within 3% of it, or too few steps were timed to tell), else the steps that fit, never fewer than one
 * more nor than the warm-up plus one. A budgeted run whose schedule is shortened this way still decays its learning
 * rate to zero, instead of being cut off at the deadline with the rate still high.
 */
export function fitStepsToDeadline(f: DeadlineFit): number {
  if (f.timedSteps < DEADLINE_FIT_MIN_STEPS || f.step >= f.planned || !Number.isFinite(f.msLeft)) return f.planned;
  const msPerStep = f.timedMs / f.timedSteps;
  const fits = f.step + Math.floor(Math.max(0, f.msLeft) / msPerStep);
  if (fits >= f.planned || (f.planned - fits) / f.planned < 0.03) return f.planned;
  return Math.min(f.planned, Math.max(fits, f.step + 1, Math.floor(f.warmup) + 1));
}
