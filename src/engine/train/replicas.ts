/**
 * Data-parallel training steps over a host's threads (Node worker threads; any host that gives
 * SharedArrayBuffer and Atomics.wait): each thread holds a copy of the student and computes the
 * gradient of its shard of the batch; BatchNormalization exchanges its sums so that every shard
 * is normalised with the whole batch's statistics (train/batch-sync.ts), exactly as one thread
 * training the whole batch would (up to float rounding); the run's thread adds the shards'
 * gradients and applies the step. The helpers never update weights: the run's thread writes
 * them to shared memory before each step. On a machine with several cores a step then runs on
 * all of them, where the wasm backend alone uses one.
 *
 * The run's side is TrainingReplicas (given to MaskedTrainer), the helper's side serveReplica;
 * hosts supply the thread, as for the search workers (pipeline/fitness-pool.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedBytes } from '../../core/session-types';
import { plural } from '../../core/words/plural';
import { errorMessage } from '../errors';
import type { BnInternals } from '../model/bn-internals';
import { leafLayers } from '../model/kernels';
import { loadAnyModel } from '../model/load';
import { makeLogitsFn } from '../model/logits';
import { batchNormKernelsActive } from '../wasm-grad/batch-norm';
import { simdBatchNormApplies } from '../wasm-grad/simd/simd-kernels';
import { registerTrainingGradients } from './batchnorm-grad';
import { batchSyncBuffer, BatchSyncError, SharedBatchSync, withBatchSync } from './batch-sync';
import { installLeanTraining } from './lean-training';
import type { ObjectiveParams } from './objective';
import { evenParts, partGradients, type GradientBatch } from './shard-gradients';

/** To a helper: what it loads, then one message per step. */
export type ToReplica =
  | {
      type: 'init';
      files: NamedBytes[];
      rank: number;
      size: number;
      sync: SharedArrayBuffer;
      /** The run's trainable weights (model order), float32, written before each step. */
      weights: SharedArrayBuffer;
      /** This helper's output: loss, then the gradients in model order, then its logits. */
      result: SharedArrayBuffer;
      /** Shapes of the trainable weights, to check the helper's copy is the same model. */
      shapes: number[][];
    }
  | { type: 'step'; x: Float32Array; xShape: number[]; teacher: Float32Array; classes: number; labels?: Int32Array; objective: ObjectiveParams; total: number; parts: number[] };

export type FromReplica = { type: 'ready' } | { type: 'failed'; message: string };

/** The run's end of one helper thread. */
export interface ReplicaPort {
  post(message: ToReplica): void;
  listen(onMessage: (m: FromReplica) => void, onStop: (why: string) => void): void;
  terminate(): Promise<unknown> | void;
}

/** Starts `count` helper threads for a model given by its files. */
export type ReplicaFactory = (model: tf.LayersModel, maxBatch: number) => Promise<TrainingReplicas>;

/**
 * Why `model` cannot be trained across threads here, or null when it can: the shared BN sums
 * exist only in the wasm SIMD kernels, for channels-last BN over a multiple of 4 channels.
 */
export function dataParallelBlocker(model: tf.LayersModel): string | null {
  if (!batchNormKernelsActive()) return `the ${tf.getBackend()} backend trains on one thread here`;
  for (const layer of leafLayers(model)) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const bn = layer as unknown as BnInternals;
    const shape = bn.movingMean.shape;
    const c = shape[shape.length - 1]!;
    const rank = (layer.inputSpec?.[0]?.ndim ?? (layer.input as tf.SymbolicTensor).shape.length) as number;
    if (!(bn.axis === -1 || bn.axis === rank - 1) || !simdBatchNormApplies(c)) return `BatchNorm layer ${layer.name} (${c} channels, axis ${bn.axis}) has no shared-sum kernel`;
  }
  return null;
}

function floatsOf(shapes: number[][]): number[] {
  return shapes.map((s) => s.reduce((a, b) => a * b, 1));
}

/** The run's side: the helpers, their shared buffers and the step across them. */
export class TrainingReplicas {
  readonly sync: SharedBatchSync;
  private readonly weightView: Float32Array;
  private readonly results: Float32Array[];
  private readonly sizes: number[];
  private closed = false;

  private constructor(
    private readonly ports: ReplicaPort[],
    syncBuffer: SharedArrayBuffer,
    weights: SharedArrayBuffer,
    results: SharedArrayBuffer[],
    shapes: number[][],
  ) {
    this.sync = new SharedBatchSync(syncBuffer, 0, ports.length + 1);
    this.weightView = new Float32Array(weights);
    this.results = results.map((r) => new Float32Array(r));
    this.sizes = floatsOf(shapes);
  }

  /** Threads a step runs on, the run's own included. */
  get threads(): number {
    return this.ports.length + 1;
  }

  /**
   * Starts helpers on the threads `spawn` gives (`count` of them) for `model` (loaded from
   * `files`), with room for batches of up to `maxBatch` images. Rejects, after stopping them, if
   * any cannot start.
   */
  static async start(count: number, spawn: (i: number) => ReplicaPort, files: NamedBytes[], model: tf.LayersModel, maxBatch: number): Promise<TrainingReplicas> {
    const shapes = model.trainableWeights.map((w) => [...w.shape] as number[]);
    const total = floatsOf(shapes).reduce((a, b) => a + b, 0);
    const outShape = model.outputs[0]!.shape;
    const classes = (outShape[outShape.length - 1] ?? 1) as number;
    // The largest per-channel exchange: a BN forward's three sums per channel and the count.
    const widest = leafLayers(model).reduce((w, l) => (l.getClassName() === 'BatchNormalization' ? Math.max(w, (l as unknown as BnInternals).movingMean.shape.reduce<number>((a, b) => a * (b ?? 1), 1)) : w), 1);
    const syncBuffer = batchSyncBuffer(count + 1, 3 * widest + 1);
    const weights = new SharedArrayBuffer(total * 4);
    const results = Array.from({ length: count }, () => new SharedArrayBuffer((1 + total + maxBatch * classes) * 4));
    const ports: ReplicaPort[] = [];
    const started = await Promise.allSettled(
      Array.from({ length: count }, (_, i) => {
        const port = spawn(i);
        ports.push(port);
        return new Promise<void>((resolve, reject) => {
          port.listen(
            (m) => (m.type === 'ready' ? resolve() : reject(new Error(`training thread ${i + 1}: ${m.message}`))),
            (why) => reject(new Error(`training thread ${i + 1} ${why}`)),
          );
          port.post({ type: 'init', files, rank: i + 1, size: count + 1, sync: syncBuffer, weights, result: results[i]!, shapes });
        });
      }),
    );
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(ports.map((p) => p.terminate()));
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    return new TrainingReplicas(ports, syncBuffer, weights, results, shapes);
  }

  /**
   * Loss and gradients of `batch` across the threads, keyed by the run's variable names, and the
   * student's logits on the whole batch (in batch order). `model` is the run's student; `logits`
   * runs it in training mode. The batch goes through consecutive passes of `passes` images (the
   * step's memory, as on one thread), each pass split between the threads, so BatchNorm sees
   * the same images together as one thread training alone would. Every pass needs at least one
   * image per thread. Throws BatchSyncError when a helper failed (the replicas are then
   * unusable: close them).
   */
  gradients(
    model: tf.LayersModel, vars: tf.Variable[], batch: GradientBatch, logits: (x: tf.Tensor) => tf.Tensor2D, objective: ObjectiveParams, passes: number[],
  ): { value: tf.Scalar; grads: tf.NamedTensorMap; logits: tf.Tensor2D } {
    if (this.closed) throw new BatchSyncError('the training threads are closed');
    if (passes.some((p) => p < this.threads)) throw new Error(`a pass of ${plural(Math.min(...passes), 'image')} cannot be split over ${this.threads} threads`);
    const n = batch.x.shape[0]!;
    // Thread t's images: its share of each pass, and its parts: one per pass.
    const rows: number[][] = Array.from({ length: this.threads }, () => []);
    const parts: number[][] = Array.from({ length: this.threads }, () => []);
    let first = 0;
    for (const p of passes) {
      let at = first;
      evenParts(p, this.threads).forEach((m, t) => {
        for (let i = 0; i < m; i++) rows[t]!.push(at + i);
        parts[t]!.push(m);
        at += m;
      });
      first += p;
    }
    // The weights the shards' forward passes read.
    const trainables = model.trainableWeights;
    let offset = 0;
    for (const w of trainables) {
      const values = w.read().dataSync() as Float32Array;
      this.weightView.set(values, offset);
      offset += values.length;
    }
    const classes = batch.teacherLogits.shape[1];
    const perImage = batch.x.size / n;
    const xs = batch.x.dataSync() as Float32Array;
    const ts = batch.teacherLogits.dataSync() as Float32Array;
    const ls = batch.labels ? (batch.labels.dataSync() as Int32Array) : undefined;
    const gather = (src: Float32Array, width: number, idx: number[]) => {
      const out = new Float32Array(idx.length * width);
      idx.forEach((r, i) => out.set(src.subarray(r * width, (r + 1) * width), i * width));
      return out;
    };
    this.ports.forEach((port, i) => {
      const idx = rows[i + 1]!;
      port.post({
        type: 'step', x: gather(xs, perImage, idx), xShape: [idx.length, ...batch.x.shape.slice(1)], teacher: gather(ts, classes, idx), classes,
        ...(ls ? { labels: Int32Array.from(idx, (r) => ls[r]!) } : {}), objective, total: n, parts: parts[i + 1]!,
      });
    });
    const own = tf.tensor1d(rows[0]!, 'int32');
    const mine: GradientBatch = {
      x: tf.gather(batch.x, own), teacherLogits: tf.gather(batch.teacherLogits, own) as tf.Tensor2D, ...(batch.labels ? { labels: tf.gather(batch.labels, own) as tf.Tensor1D } : {}),
    };
    const pieces: tf.Tensor2D[] = [];
    let local: { value: tf.Scalar; grads: tf.NamedTensorMap } | null = null;
    try {
      local = withBatchSync(this.sync, () =>
        partGradients(vars, mine, (x) => {
          const y = tf.keep(logits(x));
          pieces.push(y);
          return y;
        }, objective, parts[0]!, n),
      );
      this.sync.barrier();
    } catch (e) {
      tf.dispose([...pieces, ...(local ? [local.value, ...Object.values(local.grads)] : [])]);
      this.sync.abandon(`the run's thread failed: ${errorMessage(e)}`);
      throw e instanceof BatchSyncError ? e : new BatchSyncError(errorMessage(e));
    } finally {
      tf.dispose([own, mine.x, mine.teacherLogits, ...(mine.labels ? [mine.labels] : [])]);
    }
    // Add the helpers' sums, in thread order.
    const names = trainables.map((w) => (w.read() as tf.Variable).name);
    let value = local.value;
    const grads = local.grads;
    this.results.forEach((r, i) => {
      const sum = tf.add(value, r[0]!) as tf.Scalar;
      value.dispose();
      value = sum;
      let at = 1;
      names.forEach((name, j) => {
        const size = this.sizes[j]!;
        const g = grads[name];
        if (g) {
          grads[name] = tf.add(g, tf.tensor(r.subarray(at, at + size), g.shape));
          g.dispose();
        }
        at += size;
      });
      const m = rows[i + 1]!.length;
      pieces.push(tf.tensor2d(r.slice(at, at + m * classes), [m, classes]));
    });
    // Back to batch order.
    const order = rows.flat();
    const inverse = new Int32Array(n);
    order.forEach((r, i) => (inverse[r] = i));
    const studentLogits = tf.tidy(() => tf.gather(tf.concat(pieces), tf.tensor1d(inverse, 'int32')) as tf.Tensor2D);
    tf.dispose(pieces);
    return { value, grads, logits: studentLogits };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.ports.map((p) => p.terminate()));
  }
}

/**
 * The helper's side: waits for the init message, starts the backend (`startBackend`, the run's
 * own), loads its copy of the model and then computes each step it is sent (see TrainingReplicas).
 */
export function serveReplica(
  port: { post(m: FromReplica): void; onMessage(handler: (m: ToReplica) => void): void },
  startBackend: () => Promise<void>,
  /** Test fault: this helper fails at its n-th step (1-based). */
  failAtStep?: number,
): void {
  let steps = 0;
  let state: {
    model: tf.LayersModel; logits: (x: tf.Tensor) => tf.Tensor2D; sync: SharedBatchSync; weights: Float32Array; result: Float32Array; shapes: number[][];
  } | null = null;
  let ready: Promise<void> | null = null;
  port.onMessage((m) => {
    if (m.type === 'init') {
      ready = (async () => {
        try {
          await startBackend();
          const { model } = await loadAnyModel(m.files);
          const shapes = model.trainableWeights.map((w) => [...w.shape] as number[]);
          if (JSON.stringify(shapes) !== JSON.stringify(m.shapes)) throw new Error('its copy of the model has other trainable weights than the run\'s');
          registerTrainingGradients();
          installLeanTraining(model);
          const blocker = dataParallelBlocker(model);
          if (blocker) throw new Error(blocker);
          const run = makeLogitsFn(model).logits;
          state = { model, logits: (x) => run(x, true), sync: new SharedBatchSync(m.sync, m.rank, m.size), weights: new Float32Array(m.weights), result: new Float32Array(m.result), shapes };
          port.post({ type: 'ready' });
        } catch (e) {
          port.post({ type: 'failed', message: errorMessage(e) });
        }
      })();
      return;
    }
    void ready?.then(() => {
      if (!state) return;
      const s = state;
      try {
        if (++steps === failAtStep) throw new Error(`fault injected at its step ${steps}`);
        step(s, m);
        s.sync.barrier();
      } catch (e) {
        if (!(e instanceof BatchSyncError)) s.sync.abandon(`training thread ${s.sync.rank} failed: ${errorMessage(e)}`);
      }
    });
  });
}

function step(
  s: { model: tf.LayersModel; logits: (x: tf.Tensor) => tf.Tensor2D; sync: SharedBatchSync; weights: Float32Array; result: Float32Array; shapes: number[][] },
  m: Extract<ToReplica, { type: 'step' }>,
): void {
  const sizes = floatsOf(s.shapes);
  tf.tidy(() => {
    let at = 0;
    s.model.trainableWeights.forEach((w, i) => {
      w.write(tf.tensor(s.weights.slice(at, at + sizes[i]!), s.shapes[i]!));
      at += sizes[i]!;
    });
    const n = m.xShape[0]!;
    const batch: GradientBatch = {
      x: tf.tensor(m.x, m.xShape), teacherLogits: tf.tensor2d(m.teacher, [n, m.classes]), ...(m.labels ? { labels: tf.tensor1d(m.labels, 'int32') } : {}),
    };
    const vars = s.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const studentLogits: tf.Tensor2D[] = [];
    const { value, grads } = withBatchSync(s.sync, () =>
      partGradients(vars, batch, (x) => {
        const y = tf.keep(s.logits(x));
        studentLogits.push(y);
        return y;
      }, m.objective, m.parts, m.total),
    );
    s.result[0] = value.dataSync()[0]!;
    let off = 1;
    vars.forEach((v, i) => {
      const g = grads[v.name];
      if (g) s.result.set(g.dataSync() as Float32Array, off);
      else s.result.fill(0, off, off + sizes[i]!);
      off += sizes[i]!;
    });
    const all = studentLogits.length === 1 ? studentLogits[0]! : tf.concat(studentLogits);
    s.result.set(all.dataSync() as Float32Array, off);
    tf.dispose([...studentLogits, value, ...Object.values(grads)]);
  });
}
