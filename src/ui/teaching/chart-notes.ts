/**
 * One live sentence or two beside each chart, written from the run's own numbers (teaching
 * mode). Pure: the run's folded state in, sentences out (null while there is nothing to say).
 */
import { returnVerdict } from '../../core/metrics/verdict';
import type { RunState } from '../run-state';
import { runVerdict, scoredEval, verdictReason } from '../run-verdict';
import { gap, listWords, meanOf, percent, points, score, scoreName } from './words';

/** Steps averaged at each end of a series, so one noisy batch does not decide the sentence. */
function window(length: number): number {
  return Math.max(1, Math.min(10, Math.floor(length / 4)));
}

/** Layers a sentence names before it counts the rest. */
const MAX_NAMED = 3;

/** Which layers the distribution spared, what they weigh, and who pays for it. */
export function sparsityNote(run: RunState): string | null {
  const layers = run.layers;
  if (!layers || layers.length === 0) return null;
  const total = layers.reduce((a, l) => a + l.params, 0);
  const nm = layers.some((l) => /^\d+:\d+$/.test(l.pattern));
  if (nm) {
    const other = layers.filter((l) => !/^\d+:\d+$/.test(l.pattern));
    const pattern = layers.find((l) => /^\d+:\d+$/.test(l.pattern))!.pattern;
    const [n, m] = pattern.split(':');
    const base = `Every layer whose input channels split into groups of ${m} keeps the ${n} largest weights of each group (${pattern}), a pattern sparse hardware can skip.`;
    if (other.length === 0) return base;
    return `${base} ${listWords(other.map((l) => l.name))} ${other.length === 1 ? 'does' : 'do'} not fit the groups, so ${other.length === 1 ? 'it is' : 'they are'} pruned ${other[0]!.pattern} instead.`;
  }
  const target = layers[0]!.uniform;
  const spared = layers.filter((l) => l.keptDense || l.targetSparsity < target - 0.1);
  if (spared.length === 0) return `Every layer is cut to about ${percent(target, 0)}, the same share everywhere.`;
  const share = spared.reduce((a, l) => a + l.params, 0) / total;
  const harder = layers.filter((l) => !spared.includes(l)).sort((a, b) => b.targetSparsity - a.targetSparsity)[0];
  // At most three names, the most spared ones, in network order; the rest are counted.
  const named = new Set([...spared].sort((a, b) => a.targetSparsity - b.targetSparsity).slice(0, MAX_NAMED));
  const shown = spared.filter((l) => named.has(l));
  const rest = spared.length - shown.length;
  const names = listWords([...shown.map((l) => l.name), ...(rest > 0 ? [`${rest} other layer${rest === 1 ? '' : 's'}`] : [])]);
  const each = listWords(shown.map((l) => `${l.name} ${percent(l.targetSparsity, 0)}`));
  const tail = harder ? ` The others pay for it: ${harder.name} is cut to ${percent(harder.targetSparsity, 0)}, so the whole network still loses ${percent(target, 0)} of its weights.` : '';
  return (
    `The search spared ${names} (${each} sparse, where a uniform cut takes ${percent(target, 0)} everywhere): ` +
    `${spared.length === 1 ? 'it holds' : 'together they hold'} ${share < 0.2 ? `only ${percent(share)} of the weights, so sparing them is cheap` : `${percent(share)} of the weights`}.${tail}`
  );
}

/** How the search's best genome improved over the generations. */
export function searchNote(run: RunState): string | null {
  const s = run.search;
  if (s.length === 0) return null;
  const first = s[0]!;
  const last = s[s.length - 1]!;
  const moved = last.best > first.best + 1e-9;
  return (
    `Each genome is one way to share the sparsity among the layers, scored on calibration images after its cut. ` +
    `Best so far: ${percent(last.best)} (generation ${last.generation}), ${moved ? `up from ${percent(first.best)} in generation ${first.generation}` : 'as good as the first generation found'}.`
  );
}

/** The KL gap between sparse and dense outputs: where it started, where it is. */
export function klNote(run: RunState): string | null {
  // A step whose KL is not a number (a diverged one) has no place in a mean: the warning says what happened.
  const kl = run.train.flatMap((p) => (p.kl === null || !Number.isFinite(p.kl) ? [] : [p.kl]));
  if (kl.length === 0) return null;
  const n = window(kl.length);
  const start = meanOf(kl, n, 'first');
  const now = meanOf(kl, n, 'last');
  if (kl.length < 2 * n) return `The gap between the sparse and the dense network's outputs is ${gap(now)} (KL, 0 would be identical answers).`;
  const trend =
    now < start * 0.95
      ? `fell from ${gap(start)} to ${gap(now)}: the sparse network answers more and more like the dense one`
      : now > start * 1.05
        ? `rose from ${gap(start)} to ${gap(now)}: the sparse network is drifting away from the dense one`
        : `stays near ${gap(now)} (from ${gap(start)}): training is not closing the gap yet`;
  return `The KL gap between sparse and dense outputs (mean of ${n} steps) ${trend}.`;
}

/** The decaying log base, and what it does to the pull of the loss. */
export function tauNote(run: RunState): string | null {
  const last = run.train[run.train.length - 1];
  const first = run.train[0];
  if (!last || !first) return null;
  const gain = first.tau / last.tau;
  return (
    `The log base is now e^${last.tau.toFixed(2)} (it began at e^${first.tau.toFixed(2)}). ` +
    (gain > 1.0005
      ? `A smaller base makes the same gap in the outputs pull ${gain.toFixed(2)}x as hard as at the start, so the push does not fade as the gap closes.`
      : 'It shrinks once per epoch; a smaller base makes the same gap in the outputs pull harder.')
  );
}

/** Validation score during training against the one-shot model, and which model the run's verdict returns (the banner's verdict too). */
export function evalNote(run: RunState): string | null {
  const last = run.evals[run.evals.length - 1];
  const v = runVerdict(run);
  const reason = v && verdictReason(v);
  if (!last || !v?.best || !reason) return null;
  const now = last.top1 ?? last.agreement;
  const base = score(v.oneShot);
  // The latest check alone against the one-shot model, at the verdict's precision, so "level" means what "tied" means.
  const latest = returnVerdict(v.oneShot, [scoredEval(last)]).relation;
  const against =
    latest === 'beat'
      ? `${points(now, base)} above the one-shot model's ${percent(base)}`
      : latest === 'below'
        ? `${points(now, base)} below the one-shot model's ${percent(base)}`
        : `level with the one-shot model's ${percent(base)}`;
  const which = v.returned === 'trained' ? 'Best checkpoint' : "Training's best checkpoint";
  const outcome =
    v.returned === 'trained'
      ? `the trained model ${v.ended ? 'was returned' : 'is the one to return so far'}`
      : `the one-shot model ${v.ended ? 'was returned' : 'stays the fallback'}`;
  return `At step ${last.step} the validation ${scoreName(v.oneShot)} is ${percent(now)}, ${against}. ${which}: step ${v.best.step}, which ${reason}: ${outcome}.`;
}

/** Mask churn: are weights still trading places? */
export function churnNote(run: RunState): string | null {
  const c = run.churn;
  const last = c[c.length - 1];
  if (!last) return null;
  const n = window(c.length);
  const now = meanOf(c.map((p) => p.mean), n, 'last');
  const peak = Math.max(...c.map((p) => p.mean));
  if (peak === 0) return 'No mask bit has flipped: every layer keeps the weights it started with.';
  if (now <= Math.max(0.001, peak * 0.2)) return `Churn is down to ${percent(now, 2)} (peak ${percent(peak, 2)}): the masks have settled.`;
  return `Churn is ${percent(now, 2)} (peak ${percent(peak, 2)}): pruned weights are still growing back and kept ones dropping out.`;
}
