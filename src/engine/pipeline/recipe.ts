import type { RunReport } from '../../core/events';

/** The recipe: what to reproduce a run with, and what it achieved per layer. */
export function buildRecipe(r: RunReport) {
  return {
    format: 'pts-recipe-1',
    method: 'UniPTS (reducing-regrowing search + dynamic sparse training, base-decayed KL)',
    pattern: r.pattern,
    distribution: r.distribution,
    targetSparsity: r.targetSparsity,
    globalSparsity: r.globalSparsity,
    seed: r.settings.seed,
    settings: r.settings,
    /** What each image set did: calibration trained, validation chose, test only scored. */
    images: {
      calibration: r.calibrationImages,
      validation: r.heldOutImages,
      test: r.testImages,
      roles: 'calibration images train; validation images choose the checkpoint and the one-shot fallback; test images are scored once and choose nothing',
    },
    budget: r.budget ? { seconds: r.budget.budgetSeconds, plan: r.budget.plan } : null,
    returned: r.returned,
    layers: r.layers.map((l) => ({
      name: l.name,
      kind: l.kind,
      shape: l.shape,
      params: l.params,
      pattern: l.pattern,
      targetSparsity: l.targetSparsity,
      sparsity: l.sparsity,
    })),
    createdAt: r.createdAt,
  };
}
