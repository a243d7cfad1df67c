/**
 * "What just happened": dense vs one-shot vs returned, in words a class can follow, from the
 * finished run's report and the run's verdict (the one the result banner reads too). Pure, so
 * the numbers it says are the report's own.
 */
import type { RunReport } from '../../core/events';
import type { ReturnVerdict } from '../../core/metrics/verdict';
import { plural } from '../../core/words/plural';
import { verdictReason } from '../run-verdict';
import { percent, points, score, scoreName } from './words';

/** The dense model's line: its score, or (unlabelled) that its answers are what agreement is measured against. */
function denseSentence(r: RunReport): string {
  const images = plural(r.dense.count, 'validation image');
  return r.dense.top1 !== undefined
    ? `The dense network scores ${percent(score(r.dense))} ${scoreName(r.dense)} on ${images} it never trained on.`
    : `The dense network is the reference: with unlabelled images, the pruned models are scored by their agreement with the dense model on ${images} it never trained on.`;
}

/** Three or four short sentences; each number is the report's, rounded to one decimal. */
export function runSummary(r: RunReport, v: ReturnVerdict): string[] {
  const dense = score(r.dense);
  const oneShot = score(r.oneShot);
  const final = score(r.final);
  const cut = r.pattern === 'unstructured' ? `${percent(r.targetSparsity, 0)} of its weights` : `weights in a ${r.pattern} pattern (${percent(r.globalSparsity, 0)} of them)`;
  const lost = dense - oneShot;
  const out = [
    denseSentence(r),
    `Cutting ${cut} at once, with no training, ${oneShot < dense ? `dropped it to ${percent(oneShot)}: ${points(dense, oneShot)} lost` : `left it at ${percent(oneShot)}, no worse than the dense model on these images`}.`,
  ];
  const kept = `with ${percent(r.globalSparsity)} of its prunable weights exactly zero`;
  const reason = verdictReason(v);
  if (v.returned === 'trained' && v.relation === 'beat') {
    const back = final - oneShot;
    const share = lost > 0 ? ` (${percent(Math.min(1, back / lost), 0)} of what the cut lost)` : '';
    out.push(
      `Training the sparse network to answer like the dense one brought it back to ${percent(final)}: ${points(final, oneShot)} won back${share}.`,
      `The studio hands back this trained model, taken at step ${r.bestStep}, ${kept}.`,
    );
  } else if (v.returned === 'trained' && v.best && reason) {
    out.push(
      `Training the sparse network to answer like the dense one won no points back: its best checkpoint (step ${v.best.step}) ${reason}.`,
      `The studio hands back this trained model, taken at step ${v.best.step}, ${kept}.`,
    );
  } else {
    const unstable = r.divergence ? 'Training went unstable (see the warning). ' : '';
    const little = v.relation === 'below' && lost < 0.02 ? ': at this sparsity the cut alone loses almost nothing, so there was little to win back' : '';
    out.push(
      v.best && reason
        ? `${unstable}On the validation images, training's best checkpoint (step ${v.best.step}) ${reason}${little}.`
        : `${unstable}No trained checkpoint was scored on the validation images.`,
      v.relation === 'below' ? 'So the studio hands back the one-shot model: it never returns a model worse than that.' : 'So the studio hands back the one-shot model.',
    );
  }
  return out;
}
