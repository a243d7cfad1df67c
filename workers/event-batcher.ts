/**
 * Collects progress events and hands them to the UI in batches, so a fast training loop does
 * not send one message (and one re-render) per step.
 */
import type { ProgressEvent } from '../src/core/events';

export type EventSink = (events: ProgressEvent[]) => unknown;

export class EventBatcher {
  private buffer: ProgressEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The delivery in flight; later events wait for it (back-pressure on a busy UI). */
  private inFlight: Promise<unknown> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly sink: EventSink,
    private readonly intervalMs = 150,
  ) {}

  push(event: ProgressEvent): void {
    const last = this.buffer[this.buffer.length - 1];
    // Only the newest progress tick of a phase matters to the UI.
    if (event.type === 'progress' && last?.type === 'progress' && last.phase === event.phase) {
      this.buffer[this.buffer.length - 1] = event;
    } else {
      this.buffer.push(event);
    }
    this.timer ??= setTimeout(() => this.send(), this.intervalMs);
  }

  /** Sends whatever is buffered and resolves once the UI has received every batch. */
  async flush(): Promise<void> {
    while (this.busy || this.buffer.length > 0) {
      await this.inFlight;
      this.send();
    }
  }

  private send(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length === 0) return;
    if (this.busy) {
      this.timer = setTimeout(() => this.send(), this.intervalMs);
      return;
    }
    const batch = this.buffer;
    this.buffer = [];
    this.busy = true;
    this.inFlight = Promise.resolve()
      .then(() => this.sink(batch))
      .catch(() => undefined)
      .finally(() => {
        this.busy = false;
      });
  }
}
