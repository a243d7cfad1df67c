/**
 * The page's one reading of which model a run returned and why (core's returnVerdict over the
 * run as the page holds it), and the one sentence of why, which the result banner and the
 * teaching notes both say, so the two always tell the same story.
 */
import type { Metrics } from '../core/events';
import { returnVerdict, type ReturnVerdict, type ScoredStep } from '../core/metrics/verdict';
import { headlineScore } from '../core/metrics/score';
import { num, pct } from './format';
import type { EvalPoint, RunState } from './run-state';

/** A validation check of the charts as the scores it was judged by. */
export function scoredEval(e: EvalPoint): ScoredStep {
  return { step: e.step, best: e.best, metrics: { agreement: e.agreement, kl: e.kl, count: 0, ...(e.top1 !== null ? { top1: e.top1 } : {}) } };
}

/**
 * The verdict on `run`: null before its one-shot model is scored. A finished run's report has the
 * final word; a saved run without its validation checks falls back on the report's best step.
 */
export function runVerdict(run: RunState): ReturnVerdict | null {
  const report = run.report;
  const oneShot = report?.oneShot ?? run.metrics.oneShot;
  if (!oneShot) return null;
  const checks = run.evals.map(scoredEval);
  if (report && checks.length === 0 && report.returned === 'trained') checks.push({ step: report.bestStep, metrics: report.final, best: true });
  return returnVerdict(oneShot, checks, report?.returned);
}

/** "(KL 0.900 against 1.22)": a checkpoint's distance to the dense outputs against the one-shot model's. */
const klAgainst = (a: Metrics, b: Metrics): string => `(KL ${num(a.kl)} against ${num(b.kl)})`;

/**
 * Why the verdict's model came back, said of the checkpoint it speaks of (the caller names it):
 * its score against the one-shot model's, a tie called a tie, and, where the score alone does not
 * explain the choice, how close each answers to the dense model. Null when none was scored.
 */
export function verdictReason(v: ReturnVerdict): string | null {
  const b = v.best;
  if (!b) return null;
  const score = pct(headlineScore(b.metrics));
  const oneShot = pct(headlineScore(v.oneShot));
  const kl = klAgainst(b.metrics, v.oneShot);
  if (v.returned === 'trained') {
    if (v.relation === 'beat') return `scored ${score}, above the one-shot model's ${oneShot}`;
    if (v.relation === 'tie') {
      return `tied with the one-shot model at ${oneShot}, and ${b.metrics.kl < v.oneShot.kl ? `its outputs are closer to the dense model's ${kl}` : 'its score is ahead by less than 0.1 points'}`;
    }
    return `scored ${score}, below the one-shot model's ${oneShot}, but its outputs are closer to the dense model's ${kl}`;
  }
  if (v.relation === 'beat') return `scored ${score}, above the one-shot model's ${oneShot}, but its outputs are no closer to the dense model's ${kl}`;
  if (v.relation === 'tie') return `only tied with the one-shot model at ${oneShot}`;
  return `scored ${score}, below the one-shot model's ${oneShot}`;
}
