/**
 * Sums across the threads that train one batch together (train/replicas.ts): each holds a shard
 * of the batch, and where a layer needs the whole batch (BatchNormalization's mean, variance and
 * gradient sums) every thread contributes its partial sums and continues with the total. The
 * threads meet in shared memory (SharedArrayBuffer + Atomics): no message and no event loop is
 * involved, so a thread inside a synchronous TF.js kernel can take part.
 *
 * Every thread adds the same contributions in the same order (rank 0 first), so all of them get
 * bit-identical totals and stay in step.
 */

/** The sums a kernel needs across the threads of its batch. */
export interface BatchSync {
  readonly rank: number;
  readonly size: number;
  /** Element-wise sum of `values` over all threads; every thread must call it in the same order. */
  allReduce(values: Float64Array): Float64Array;
}

let active: BatchSync | null = null;

/** The sync kernels use while `f` runs (nested calls restore the outer one). */
export function withBatchSync<T>(sync: BatchSync | null, f: () => T): T {
  const outer = active;
  active = sync;
  try {
    return f();
  } finally {
    active = outer;
  }
}

/** The sync of the batch being trained here, or null when this thread trains it alone. */
export function activeBatchSync(): BatchSync | null {
  return active;
}

/** Thrown on every thread once one of them reports a failure (or stops answering). */
export class BatchSyncError extends Error {}

// Int32 control words.
const ARRIVED = 0;
const GENERATION = 1;
const FAILED = 2;
const CONTROL_INTS = 4;
/** Bytes of the failure message after the control words. */
const MESSAGE_BYTES = 1024;
const HEADER = CONTROL_INTS * 4 + MESSAGE_BYTES;
/** How long a thread polls for the others before it sleeps. */
const SPIN_MS = 2;

/** Shared memory for `size` threads exchanging at most `maxValues` numbers at a time. */
export function batchSyncBuffer(size: number, maxValues: number): SharedArrayBuffer {
  // Two banks (alternating generations), one slot per thread, a length word per slot.
  return new SharedArrayBuffer(HEADER + 2 * size * (maxValues + 1) * 8);
}

/** Numbers a buffer made by batchSyncBuffer(size, n) holds per exchange. */
function capacity(buffer: SharedArrayBuffer, size: number): number {
  return (buffer.byteLength - HEADER) / 8 / (2 * size) - 1;
}

/**
 * One thread's end of a shared buffer. `timeoutMs` bounds a wait for the others: a thread that
 * died cannot say so, so after that long without them the wait fails.
 */
export class SharedBatchSync implements BatchSync {
  private readonly control: Int32Array;
  private readonly message: Uint8Array;
  private readonly data: Float64Array;
  private readonly slot: number;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly rank: number,
    readonly size: number,
    private readonly timeoutMs = 120_000,
  ) {
    this.control = new Int32Array(buffer, 0, CONTROL_INTS);
    this.message = new Uint8Array(buffer, CONTROL_INTS * 4, MESSAGE_BYTES);
    this.slot = capacity(buffer, size) + 1;
    this.data = new Float64Array(buffer, HEADER);
  }

  /** Largest vector one exchange takes. */
  get maxValues(): number {
    return this.slot - 1;
  }

  allReduce(values: Float64Array): Float64Array {
    if (values.length > this.maxValues) throw new Error(`BatchSync: ${values.length} values exceed the shared buffer's ${this.maxValues}.`);
    this.throwIfFailed();
    const generation = Atomics.load(this.control, GENERATION);
    const bank = (generation & 1) * this.size * this.slot;
    const mine = bank + this.rank * this.slot;
    this.data[mine] = values.length;
    this.data.set(values, mine + 1);
    this.arriveAndWait(generation);
    const out = new Float64Array(values.length);
    for (let r = 0; r < this.size; r++) {
      const at = bank + r * this.slot;
      if (this.data[at] !== values.length) this.fail(`thread ${r} summed ${this.data[at]} values where thread ${this.rank} summed ${values.length}: the threads left step`);
      for (let i = 0; i < values.length; i++) out[i] = out[i]! + this.data[at + 1 + i]!;
    }
    return out;
  }

  /** Waits until every thread has arrived here. */
  barrier(): void {
    this.throwIfFailed();
    this.arriveAndWait(Atomics.load(this.control, GENERATION));
  }

  private arriveAndWait(generation: number): void {
    if (Atomics.add(this.control, ARRIVED, 1) + 1 === this.size) {
      Atomics.store(this.control, ARRIVED, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
      return;
    }
    // Spin first: the others are usually a few microseconds away, and waking a sleeping thread
    // (a futex, on a virtual machine a halted vCPU) can take far longer than that.
    const spinUntil = performance.now() + SPIN_MS;
    while (Atomics.load(this.control, GENERATION) === generation && performance.now() < spinUntil) {
      // busy
    }
    const start = Date.now();
    while (Atomics.load(this.control, GENERATION) === generation) {
      this.throwIfFailed();
      if (Date.now() - start > this.timeoutMs) this.fail(`no answer from the other training threads for ${Math.round(this.timeoutMs / 1000)} s`);
      Atomics.wait(this.control, GENERATION, generation, 500);
    }
  }

  /** True once any thread has failed. */
  get failed(): boolean {
    return Atomics.load(this.control, FAILED) !== 0;
  }

  /** The first failure's message, or null. */
  failure(): string | null {
    if (!this.failed) return null;
    const end = this.message.indexOf(0);
    return new TextDecoder().decode(this.message.slice(0, end < 0 ? MESSAGE_BYTES : end));
  }

  /** Records a failure (the first one wins), wakes every waiting thread and throws. */
  fail(why: string): never {
    if (Atomics.compareExchange(this.control, FAILED, 0, 1) === 0) {
      const bytes = new TextEncoder().encode(why).slice(0, MESSAGE_BYTES - 1);
      this.message.fill(0);
      this.message.set(bytes);
      Atomics.store(this.control, FAILED, 2);
    }
    Atomics.notify(this.control, GENERATION);
    throw new BatchSyncError(this.failure() ?? why);
  }

  /** Marks a failure without throwing (for a thread that is already handling an error). */
  abandon(why: string): void {
    try {
      this.fail(why);
    } catch {
      // recorded
    }
  }

  private throwIfFailed(): void {
    if (!this.failed) return;
    // The writer sets 1, writes the message, then 2: wait briefly for the message.
    for (let i = 0; i < 1000 && Atomics.load(this.control, FAILED) === 1; i++) Atomics.wait(this.control, FAILED, 1, 1);
    throw new BatchSyncError(this.failure() ?? 'a training thread failed');
  }
}
