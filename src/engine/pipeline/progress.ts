import type { Phase, ProgressCallback } from '../../core/events';

/** Reports progress of one phase with an ETA from the rate so far. */
export class PhaseProgress {
  private readonly start = performance.now();

  constructor(
    private readonly emit: ProgressCallback,
    readonly phase: Phase,
    private total: number,
  ) {
    emit({ type: 'progress', phase, done: 0, total, etaSeconds: null });
  }

  /** Changes the expected total (e.g. when a run stops early). */
  setTotal(total: number): void {
    this.total = total;
  }

  /** Seconds since the phase began. */
  elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  tick(done: number): void {
    const elapsed = this.elapsed();
    const eta = done > 0 ? (elapsed / done) * Math.max(this.total - done, 0) : null;
    this.emit({ type: 'progress', phase: this.phase, done, total: this.total, etaSeconds: eta });
  }
}
