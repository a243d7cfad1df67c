import type { Metrics, ProgressEvent, RunReport } from '../core/events';
import { plural } from '../core/words/plural';

const pct = (v: number | undefined) => (v === undefined ? '   -  ' : `${(v * 100).toFixed(1).padStart(5)}%`);

/** One line for a set of metrics. */
export function formatMetrics(m: Metrics): string {
  const parts = [];
  if (m.top1 !== undefined) parts.push(`top-1 ${pct(m.top1)}`);
  if (m.top5 !== undefined) parts.push(`top-5 ${pct(m.top5)}`);
  parts.push(`agreement ${pct(m.agreement)}`, `KL ${m.kl.toFixed(3)}`, `(${plural(m.count, 'image')})`);
  return parts.join('  ');
}

const eta = (s: number | null) => (s === null ? '' : s < 90 ? ` ETA ${Math.round(s)}s` : ` ETA ${(s / 60).toFixed(1)}min`);

/** Prints progress events to stderr, throttled so fast steps do not flood the terminal. */
export class ProgressPrinter {
  private lastProgress = 0;

  constructor(private readonly log: (line: string) => void) {}

  handle(e: ProgressEvent): void {
    const now = Date.now();
    switch (e.type) {
      case 'phase':
        this.log(`== ${e.phase}: ${e.message}`);
        break;
      case 'progress':
        if (now - this.lastProgress > 2000 || e.done === e.total) {
          this.lastProgress = now;
          this.log(`   ${e.phase} ${e.done}/${e.total}${eta(e.etaSeconds)}`);
        }
        break;
      case 'search-generation':
        this.log(`   generation ${e.generation}/${e.generations}: best ${e.best.toFixed(4)}, mean ${e.mean.toFixed(4)}`);
        break;
      case 'train-step':
        if (e.step === 1 || e.step % 10 === 0 || e.step === e.totalSteps) {
          this.log(`   step ${e.step}/${e.totalSteps} epoch ${e.epoch} KL ${e.kl.toFixed(4)} objective ${e.loss.toFixed(4)} ln(b) ${e.tau.toFixed(3)} lr ${e.lr.toExponential(2)} ${e.msPerStep.toFixed(0)} ms/step`);
        }
        break;
      case 'eval':
        this.log(`   validation at step ${e.step}: ${formatMetrics(e.metrics)}${e.best ? '  (best so far)' : ''}`);
        break;
      case 'metrics':
        this.log(`   ${e.which} (validation): ${formatMetrics(e.metrics)}`);
        break;
      case 'test-metrics':
        this.log(`   test: dense ${pct(e.scores.dense.top1 ?? e.scores.dense.agreement)}, one-shot ${pct(e.scores.oneShot.top1 ?? e.scores.oneShot.agreement)}, returned ${pct(e.scores.final.top1 ?? e.scores.final.agreement)}`);
        break;
      case 'plan':
        this.log(`plan for the ${(e.budgetSeconds / 60).toFixed(e.budgetSeconds % 60 ? 1 : 0)}-minute budget: ${e.text} (measured: fitness ${e.costs.fitness.toFixed(2)} s, step ${(e.costs.step * 1000).toFixed(0)} ms, validation check ${e.costs.evaluation.toFixed(2)} s)`);
        break;
      case 'warning':
        this.log(`warning: ${e.message}`);
        break;
      case 'log':
        this.log(e.message);
        break;
      default:
        break;
    }
  }

  /** The closing table. */
  summary(r: RunReport): void {
    this.log('');
    this.log(`global sparsity ${pct(r.globalSparsity)} (target ${pct(r.targetSparsity)}), pattern ${r.pattern}, distribution ${r.distribution}`);
    this.log(`validation (${plural(r.heldOutImages, 'image')}; they chose the checkpoint and the fallback):`);
    this.log(`  dense    ${formatMetrics(r.dense)}`);
    this.log(`  one-shot ${formatMetrics(r.oneShot)}`);
    this.log(`  returned ${formatMetrics(r.final)}  [${r.returned}${r.bestStep >= 0 ? `, step ${r.bestStep}` : ''}]`);
    if (r.test) {
      this.log(`test (${plural(r.testImages, 'image')}, scored once; they chose nothing):`);
      this.log(`  dense    ${formatMetrics(r.test.dense)}`);
      if (r.test.oneShotUniform) this.log(`  one-shot, uniform distribution ${formatMetrics(r.test.oneShotUniform)}`);
      this.log(`  one-shot ${formatMetrics(r.test.oneShot)}`);
      this.log(`  returned ${formatMetrics(r.test.final)}`);
    }
    if (r.divergence) this.log(`divergence: ${r.divergence}`);
    if (r.stoppedEarly) this.log(`training: ${r.stoppedEarly}`);
    if (r.budget) this.log(`budget: ${(r.budget.budgetSeconds / 60).toFixed(1)} min, plan ${r.budget.plan}; took ${(r.timings.totalSeconds / 60).toFixed(1)} min`);
    this.log(`time: search ${r.timings.searchSeconds.toFixed(1)}s (${r.timings.fitnessSeconds.toFixed(2)}s/eval${(r.timings.searchParallel ?? 1) > 1 ? `, ${r.timings.searchParallel} side by side` : ''}), training ${r.timings.trainSeconds.toFixed(1)}s (${r.timings.msPerStep.toFixed(0)} ms/step${r.trainThreads > 1 ? ` on ${r.trainThreads} threads` : ''}), total ${r.timings.totalSeconds.toFixed(1)}s`);
  }
}
