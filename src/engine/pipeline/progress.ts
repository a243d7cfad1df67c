import type { Phase, ProgressCallback } from '../../core/events';

/** Reports progress of one phase with an ETA from the rate so far. */
export class PhaseProgress {
  private readonly start = performance.now();

  constructor(
    private readonly emit: ProgressCallback,
    readonly phase: Phase,
    private total: number,
    /** Work already done before this phase began here (a resumed run): not part of the rate. */
    private readonly startDone = 0,
  ) {
    emit({ type: 'progress', phase, done: startDone, total, etaSeconds: null });
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
    const fresh = done - this.startDone;
    const eta = fresh > 0 ? (elapsed / fresh) * Math.max(this.total - done, 0) : null;
    this.emit({ type: 'progress', phase: this.phase, done, total: this.total, etaSeconds: eta });
  }
}
