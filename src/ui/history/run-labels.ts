/** Words and numbers for a saved run, shared by the run list and the comparison. */
import { formatPattern } from '../../core/options';
import type { Metrics } from '../../core/events';
import type { RunRecord } from '../persist/db';

/** "unstructured 90% (search)" or "2:4". */
export function recipeLabel(r: RunRecord): string {
  const o = r.options;
  return o.pattern.kind === 'nm' ? formatPattern(o.pattern) : `${Math.round(o.sparsity * 100)}% ${o.distribution}`;
}

/** The headline score of a run's metrics: top-1 when labelled, else agreement with the dense model. */
export function headline(m: Metrics | undefined): number | null {
  if (!m) return null;
  return m.top1 ?? m.agreement;
}

/** What a run's status means to the user. */
export function statusLabel(r: RunRecord): string {
  const step = r.checkpointStep;
  switch (r.status) {
    case 'running':
      return 'running';
    case 'done':
      return 'finished';
    case 'interrupted':
      return step === null ? 'interrupted (no checkpoint)' : `interrupted at step ${step}`;
    case 'cancelled':
      return step === null ? 'cancelled' : `cancelled at step ${step}`;
    case 'failed':
      return 'failed';
  }
}

/** Whether a run stopped before finishing (it can continue, from its checkpoint when it has one). */
export function resumable(r: RunRecord): boolean {
  return r.status !== 'done' && r.status !== 'running';
}
