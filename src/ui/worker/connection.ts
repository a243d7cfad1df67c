/**
 * One started studio worker: its comlink proxy, a queue that keeps calls in order, and a way to
 * tear it down that settles every call still pending on it.
 */
import * as Comlink from 'comlink';
import type { Api } from '../../../workers/studio.worker';

/** The worker went away (crash, or terminated after a cancel) while a call was pending. */
export class WorkerGone extends Error {}

export class WorkerConnection {
  readonly api: Comlink.Remote<Api>;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly gone: Promise<never>;
  private kill!: (reason: Error) => void;
  private dead = false;

  /** `onCrash` hears an uncaught error of the worker (not errors of calls, which reject them). */
  constructor(
    private readonly worker: Worker,
    onCrash: (message: string) => void,
  ) {
    this.api = Comlink.wrap<Api>(worker);
    this.gone = new Promise<never>((_, reject) => (this.kill = reject));
    this.gone.catch(() => undefined);
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      if (!this.dead) onCrash(e.message || 'unknown error');
    });
  }

  /** Runs `fn` after every earlier call; rejects with WorkerGone if the worker dies first. */
  call<T>(fn: (api: Comlink.Remote<Api>) => Promise<T>): Promise<T> {
    const task = this.queue.then(() => {
      if (this.dead) throw new WorkerGone('the worker was stopped');
      return Promise.race([fn(this.api), this.gone]);
    });
    this.queue = task.catch(() => undefined);
    return task;
  }

  /** Stops the worker; calls pending on it reject with WorkerGone(reason). */
  terminate(reason: string): void {
    this.dead = true;
    this.kill(new WorkerGone(reason));
    this.worker.terminate();
  }
}
