/**
 * "What just happened": dense vs one-shot vs returned, in words a class can follow, from the
 * finished run's report. Pure, so the numbers it says are the report's own.
 */
import type { RunReport } from '../../core/events';
import { percent, points, score, scoreName } from './words';

/** Three or four short sentences; each number is the report's, rounded to one decimal. */
export function runSummary(r: RunReport): string[] {
  const name = scoreName(r.dense);
  const dense = score(r.dense);
  const oneShot = score(r.oneShot);
  const final = score(r.final);
  const cut = r.pattern === 'unstructured' ? `${percent(r.targetSparsity, 0)} of its weights` : `weights in a ${r.pattern} pattern (${percent(r.globalSparsity, 0)} of them)`;
  const lost = dense - oneShot;
  const out = [
    `The dense network scores ${percent(dense)} ${name} on ${r.dense.count} validation images it never trained on.`,
    `Cutting ${cut} at once, with no training, ${oneShot < dense ? `dropped it to ${percent(oneShot)}: ${points(dense, oneShot)} lost` : `left it at ${percent(oneShot)}, no worse than the dense model on these images`}.`,
  ];
  if (r.returned === 'trained') {
    const back = final - oneShot;
    const share = lost > 0 ? ` (${percent(Math.min(1, back / lost), 0)} of what the cut lost)` : '';
    out.push(
      `Training the sparse network to answer like the dense one brought it back to ${percent(final)}: ${points(final, oneShot)} won back${share}.`,
      `The studio hands back this trained model, taken at step ${r.bestStep}, with ${percent(r.globalSparsity)} of its prunable weights exactly zero.`,
    );
  } else {
    out.push(
      r.divergence
        ? 'Training went unstable (see the warning), so no trained checkpoint beat the cut model.'
        : `Training never beat ${percent(oneShot)} on the validation images${lost < 0.02 ? ': at this sparsity the cut alone loses almost nothing, so there was little to win back' : ''}.`,
      `So the studio hands back the one-shot model: it never returns a model worse than that.`,
    );
  }
  return out;
}
