/**
 * A short, timed training run on the current TF.js backend, to compare backends before picking
 * one: a tiny convnet built from the layers the studio trains (conv 3x3 + BN + ReLU, depthwise
 * 3x3, 1x1 conv, global average pooling, dense), a warm-up (shader compilation, kernel set-up)
 * of one forward pass and one step, then a few timed steps of variableGrads + SGD as the masked
 * trainer takes them.
 */
import * as tf from '@tensorflow/tfjs';
import { registerTrainingGradients } from '../train/batchnorm-grad';

/** Knobs of the probe; the defaults keep it to about a second on a slow backend. */
export interface ProbeOptions {
  /** Images per step. */
  batch?: number;
  /** Input size [height, width, channels]. */
  inputShape?: [number, number, number];
  /** Timed steps after the warm-up (fewer when they run past `budgetMs`). */
  steps?: number;
  /**
   * Milliseconds the warm-up may take; a backend that needs longer is not timed further (its
   * real steps would be slower still). The timed steps stop once they pass it too.
   */
  budgetMs?: number;
  /** Clock in milliseconds; performance.now by default. */
  now?: () => number;
}

/** What the probe measured. */
export interface ProbeResult {
  /** Median milliseconds of the timed steps; null when the warm-up ran past the budget. */
  msPerStep: number | null;
  /** Milliseconds of the warm-up (a forward pass, then a first step; compilation included). */
  warmupMs: number;
  /** Timed steps run. */
  steps: number;
  /** Every step run gave a finite loss and a finite, non-zero gradient for every trainable weight. */
  trained: boolean;
  /** Why it did not train, or null (also when it stopped at the budget before a full step). */
  problem: string | null;
}

/** Classes of the probe net's output. */
const CLASSES = 10;
const LEARNING_RATE = 0.01;

/** The probe net; seeded initialisers so every backend trains the same weights. */
function probeNet(inputShape: [number, number, number]): tf.LayersModel {
  const seed = (n: number) => tf.initializers.glorotUniform({ seed: n });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape, filters: 16, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: seed(1) }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', useBias: false, depthwiseInitializer: seed(2) }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.conv2d({ filters: 32, kernelSize: 1, activation: 'relu', kernelInitializer: seed(3) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: CLASSES, kernelInitializer: seed(4) }),
    ],
  });
}

/**
 * One SGD step; returns [loss, sum of squared gradients] to read back. The read waits for the
 * whole step, since a backend runs queued work in order.
 */
function trainStep(model: tf.LayersModel, vars: tf.Variable[], x: tf.Tensor, y: tf.Tensor2D): { check: tf.Tensor1D; missing: number } {
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor2D) as tf.Scalar,
    vars,
  );
  const missing = vars.filter((v) => !grads[v.name]).length;
  const check = tf.tidy(() => {
    const present = vars.map((v) => grads[v.name]).filter((g): g is tf.Tensor => !!g);
    for (const v of vars) {
      const g = grads[v.name];
      if (g) v.assign(tf.sub(v, tf.mul(g, LEARNING_RATE)));
    }
    // Pairwise adds, not addN: WebGPU's addN binds every input at once and fails past 8 buffers.
    const sq = present.reduce<tf.Scalar>((acc, g) => tf.add(acc, tf.sum(tf.square(g))), tf.scalar(0));
    return tf.stack([value, sq]) as tf.Tensor1D;
  });
  value.dispose();
  tf.dispose(Object.values(grads));
  return { check, missing };
}

/**
 * `promise`'s value, or null when it has not settled within `ms`. GPU backends queue their work
 * and compile off the main thread, so this caps a slow one's warm-up (its queued work goes on,
 * unread; a later rejection is swallowed).
 */
export async function settleBy<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  promise.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), Math.max(0, ms))));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one step, waits for it (at most `limitMs` when given) and checks it; returns its
 * milliseconds, whether it ran late, and the problem if any.
 */
async function timedStep(
  model: tf.LayersModel,
  vars: tf.Variable[],
  x: tf.Tensor,
  y: tf.Tensor2D,
  now: () => number,
  limitMs?: number,
): Promise<{ ms: number; late: boolean; problem: string | null }> {
  const t0 = now();
  const { check, missing } = trainStep(model, vars, x, y);
  const values = limitMs === undefined ? await check.data() : await settleBy(check.data(), limitMs - (now() - t0));
  const ms = now() - t0;
  check.dispose();
  if (values === null) return { ms, late: true, problem: null };
  const [loss, gradSq] = Array.from(values);
  const late = false;
  if (missing > 0) return { ms, late, problem: `${missing} weight(s) got no gradient` };
  if (!Number.isFinite(loss)) return { ms, late, problem: `the loss was ${loss}` };
  if (!Number.isFinite(gradSq) || gradSq === 0) return { ms, late, problem: `the gradient norm was ${gradSq}` };
  return { ms, late, problem: null };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times the probe net's training on the current backend and disposes everything it made. */
export async function probeTraining(options: ProbeOptions = {}): Promise<ProbeResult> {
  const { batch = 8, inputShape = [32, 32, 3], steps = 3, budgetMs = 3000 } = options;
  const now = options.now ?? (() => performance.now());
  // The probe trains the way the studio does, with its gradients.
  registerTrainingGradients();
  const model = probeNet(inputShape);
  const x = tf.randomNormal([batch, ...inputShape], 0, 1, 'float32', 7);
  const labels = Array.from({ length: batch }, (_, i) => i % CLASSES);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).toFloat() as tf.Tensor2D);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  try {
    // The forward pass alone first: a backend that compiles slowly (WebGL on a software GPU) is
    // stopped here, before the backward pass compiles as many kernels again.
    const t0 = now();
    const forward = tf.tidy(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor2D));
    const read = await settleBy(forward.data(), budgetMs - (now() - t0));
    forward.dispose();
    const forwardMs = now() - t0;
    if (read === null || forwardMs > budgetMs) return { msPerStep: null, warmupMs: forwardMs, steps: 0, trained: false, problem: null };
    const warm = await timedStep(model, vars, x, y, now, budgetMs - forwardMs);
    const warmupMs = forwardMs + warm.ms;
    const result = { msPerStep: null, warmupMs, steps: 0, trained: !warm.late && warm.problem === null, problem: warm.problem };
    if (warm.late || warm.problem || warmupMs > budgetMs) return result;
    const times: number[] = [];
    let spent = 0;
    while (times.length < steps && (times.length === 0 || spent < budgetMs)) {
      const step = await timedStep(model, vars, x, y, now);
      if (step.problem) return { ...result, steps: times.length, trained: false, problem: step.problem };
      times.push(step.ms);
      spent += step.ms;
    }
    return { ...result, msPerStep: median(times), steps: times.length };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}
