/** One sentence per phase of the stepper, from what the run has measured so far (teaching mode). */
import type { Phase } from '../../core/events';
import { plural } from '../../core/words/plural';
import type { RunState } from '../run-state';
import { percent, score, scoreName } from './words';

/** The sentence for `phase`; null for a phase that has not started. */
export function phaseNote(run: RunState, phase: Phase): string | null {
  if (!run.phasesSeen.includes(phase)) return null;
  const { dense, oneShot, final } = run.metrics;
  const target = run.report?.targetSparsity ?? run.layers?.[0]?.uniform ?? null;
  switch (phase) {
    case 'load':
      return 'The images are split: most to train on, some kept back as validation images, never trained on, to score honestly and choose the checkpoint.';
    case 'dense-eval':
      if (!dense) return 'The dense model is scored on the validation images: the mark to win back.';
      // Unlabelled, the dense model's agreement with itself is 100% by definition: say what it is instead.
      return dense.top1 !== undefined
        ? `The dense model scores ${percent(score(dense))} ${scoreName(dense)} on ${plural(dense.count, 'validation image')}: the mark to win back.`
        : `The dense model's answers on ${plural(dense.count, 'validation image')} are the reference: the pruned models are scored by their agreement with them.`;
    case 'search': {
      const last = run.search[run.search.length - 1];
      if (!last) {
        const past = run.phasesSeen.some((p) => p === 'one-shot' || p === 'dst');
        if (!past) return 'The search is scoring its first ways to share the sparsity among the layers.';
        const r = run.report;
        if (r && r.pattern === 'unstructured' && r.distribution !== 'search') return `This run shares the sparsity by the ${r.distribution} rule, so there is nothing to search.`;
        if (r && r.pattern === 'unstructured') return 'No search ran in this run: every layer keeps the same share.';
        return r ? 'N:M patterns fix every layer\'s share, so there is nothing to search.' : 'No search ran in this run: the per-layer shares come from the chosen rule.';
      }
      return `${last.generation} generation(s) of genomes tried different per-layer shares; the best scores ${percent(last.best)} on calibration images.`;
    }
    case 'one-shot':
      return oneShot
        ? `Cutting ${target !== null ? `${percent(target, 0)} of` : ''} the weights at once, with no training, leaves ${percent(score(oneShot))}.`
        : 'The smallest weights are cut at once, with no training: the baseline to beat.';
    case 'dst': {
      const steps = run.train.length > 0 ? run.train[run.train.length - 1]!.step : 0;
      return `${steps} training step(s) pull the sparse network's outputs toward the dense one's, re-choosing which weights to keep as they go.`;
    }
    case 'final-eval':
      return final ? `The model handed back scores ${percent(score(final))} on the validation images.` : 'The model to hand back is scored once more.';
    case 'export':
      return run.report
        ? `Pruned weights are written as exact zeros: ${percent(run.report.globalSparsity)} of the prunable weights are 0.`
        : 'Pruned weights are written as exact zeros.';
  }
}
