/**
 * Which model a run hands back, and how training's best checkpoint stands against the one-shot
 * model: the one decision the result banner and the teaching notes both put in words, so they
 * can never tell two stories (one saying "beat" while the other says "level with"). It reads the
 * run's own choices (the checkpoints it kept, the model it returned) and never ranks checkpoints
 * itself, so it cannot drift from the rule the engine keeps them by.
 */
import type { Metrics } from '../events';
import { headlineScore } from './score';

/** A trained checkpoint's validation scores, as the run's 'eval' events give them. */
export interface ScoredStep {
  /** Training step the checkpoint was taken at. */
  step: number;
  /** Its scores on the validation images. */
  metrics: Metrics;
  /** The run kept it: it ranked above the one-shot model and every checkpoint kept before it. */
  best: boolean;
}

/** The decision, with the numbers its wording needs. */
export interface ReturnVerdict {
  /** The model handed back (or, while training goes on, the one that would be handed back now). */
  returned: 'trained' | 'one-shot';
  /** `best`'s score against the one-shot model's, at the precision scores are shown (0.1 points): a tie is what a reader sees as one. */
  relation: 'beat' | 'tie' | 'below';
  /**
   * The checkpoint the verdict speaks of: the one returned when `returned` is 'trained', else
   * training's highest-scoring one; null before the first validation check.
   */
  best: ScoredStep | null;
  /** The one-shot model's validation scores. */
  oneShot: Metrics;
  /** Whether the run has ended, so `returned` is its final word rather than the choice so far. */
  ended: boolean;
}

/** A score as the page and the CLI print it ("40.0"). */
const shown = (score: number): string => (score * 100).toFixed(1);

/**
 * The verdict on a run from its one-shot scores and its checkpoints so far. `returned` is the
 * run's own word once it has ended (its report); before that, a kept checkpoint means the
 * trained model is the one to return.
 */
export function returnVerdict(oneShot: Metrics, checkpoints: readonly ScoredStep[], returned?: 'trained' | 'one-shot'): ReturnVerdict {
  const kept = checkpoints.filter((c) => c.best).pop() ?? null;
  const decided = returned ?? (kept ? 'trained' : 'one-shot');
  // The first checkpoint to reach the highest score is training's best try.
  let top: ScoredStep | null = null;
  for (const c of checkpoints) if (!top || headlineScore(c.metrics) > headlineScore(top.metrics)) top = c;
  const best = decided === 'trained' ? (kept ?? top) : top;
  let relation: ReturnVerdict['relation'] = 'below';
  if (best) {
    const [b, o] = [headlineScore(best.metrics), headlineScore(oneShot)];
    relation = shown(b) === shown(o) ? 'tie' : b > o ? 'beat' : 'below';
  }
  return { returned: decided, relation, best, oneShot, ended: returned !== undefined };
}
