import * as tf from '@tensorflow/tfjs';
import type { TrainerState } from '../../core/checkpoint';
import { deviceMask, type MaskSpec } from '../masks/device-masks';
import { fromTensorData, toTensorDataAll } from '../tensor-data';
import { webgpuMaskedUpdate, webgpuMaskedUpdateAvailable } from '../webgpu/masked-update';
import { webglMaskedUpdate, webglMaskedUpdateAvailable } from '../webgl/masked-update';
import { wasmMaskedUpdate, wasmMaskedUpdateAvailable } from '../wasm-grad/masked-update';
import { registerTrainingGradients } from './batchnorm-grad';
import { installLeanTraining } from './lean-training';
import { errorMessage } from '../errors';
import type { ObjectiveParams } from './objective';
import type { TrainingReplicas } from './replicas';
import { partGradients } from './shard-gradients';

/** One kernel under dynamic sparse training. */
export interface MaskedKernel {
  /** The layer variable the model reads (holds w * mask). */
  variable: tf.LayerVariable;
  spec: MaskSpec;
  /**
   * Values to train from under the mask (the dense weights); the variable's own values when
   * absent. Starting from the dense values keeps pruned weights able to regrow (docs/method.md).
   */
  initial?: Float32Array;
  /**
   * A trainable scale per output channel that multiplies the kernel the model reads (the layer
   * reads scale * w * mask), for models without BatchNorm whose layers' output statistics were
   * matched after pruning (train/stats-match.ts): the match lives in the scale, so the weights
   * and their masks stay on the dense scale. Absent: no scale.
   */
  scale?: Float32Array;
}

/** A masked kernel's per-output-channel scale, its momentum, and the shape that broadcasts it over the kernel. */
interface ChannelScale {
  value: tf.Variable;
  velocity: tf.Variable;
  /** The kernel's trailing dimensions whose product is the channel count ([out] of [kh, kw, in, out]). */
  shape: number[];
  /** The kernel's axes summed over for the scale's gradient (all but the trailing ones). */
  axes: number[];
}

/** The trailing dimensions of `kernel` whose product is `channels`: [out] of a conv kernel, [in, multiplier] of a depthwise one. */
export function channelShape(kernel: readonly number[], channels: number): number[] {
  let product = 1;
  for (let k = kernel.length - 1; k >= 0; k--) {
    product *= kernel[k]!;
    if (product === channels) return kernel.slice(k);
    if (product > channels) break;
  }
  throw new Error(`No trailing dimensions of the kernel [${kernel.join(', ')}] hold ${channels} output channels.`);
}

/** SGD settings of the masked step. */
export interface SgdSettings {
  momentum: number;
  weightDecay: number;
  /** Extra decay on pruned weights: lambda * (1 - mask) * w. */
  lambda: number;
}

/** A batch for one step: inputs, the dense teacher's logits on them, labels when known. */
export interface StepBatch {
  x: tf.Tensor;
  teacherLogits: tf.Tensor2D;
  labels?: tf.Tensor1D;
}

/** State the trainer keeps per masked kernel. */
interface KernelState {
  kernel: MaskedKernel;
  /** The dense (unmasked) weights that SGD updates. */
  dense: tf.Variable;
  mask: tf.Tensor;
  /**
   * weightDecay + lambda * (1 - mask), kept with the mask: one multiply-add per step instead of
   * five elementwise ops, and rebuilt only when the mask is.
   */
  coef: tf.Tensor;
  /** Mask at the last churn reading. */
  lastLogged: tf.Tensor;
  velocity: tf.Variable;
  scale: ChannelScale | null;
}

/**
 * Dynamic sparse training (docs/method.md section 3): the model's kernels hold w * mask; the gradient
 * with respect to w * mask is applied to all of w (straight-through), pruned weights also decay
 * by lambda, and masks are recomputed from |w| every `maskInterval` steps.
 */
export class MaskedTrainer {
  private readonly states: KernelState[];
  /** Trainable variables that are not masked kernels (biases, BN affine, dense-kept kernels). */
  private readonly others: { variable: tf.Variable; velocity: tf.Variable }[];
  private stepCount = 0;
  /** Why the training threads were dropped mid-run (this thread trains alone since), or null. */
  replicaFailure: string | null = null;

  constructor(
    private readonly model: tf.LayersModel,
    kernels: MaskedKernel[],
    private readonly sgd: SgdSettings,
    private replicas: TrainingReplicas | null = null,
  ) {
    registerTrainingGradients();
    installLeanTraining(model);
    const masked = new Set(kernels.map((k) => k.variable.read().id));
    this.states = kernels.map((kernel) => {
      const current = kernel.variable.read();
      const dense = tf.tidy(() => tf.variable(kernel.initial ? tf.tensor(kernel.initial, current.shape) : current.clone(), false));
      const mask = deviceMask(dense, kernel.spec);
      let scale: ChannelScale | null = null;
      if (kernel.scale) {
        const shape = channelShape(current.shape, kernel.scale.length);
        const axes = [...Array(current.rank - shape.length).keys()];
        scale = { value: tf.variable(tf.tensor(kernel.scale, shape), false), velocity: tf.variable(tf.zeros(shape), false), shape, axes };
      }
      const state: KernelState = { kernel, dense, mask, coef: this.coefOf(mask), lastLogged: mask.clone(), velocity: tf.tidy(() => tf.variable(tf.zerosLike(current), false)), scale };
      this.writeKernel(state);
      return state;
    });
    this.others = model.trainableWeights
      .map((w) => w.read() as tf.Variable)
      .filter((v) => !masked.has(v.id))
      .map((variable) => ({ variable, velocity: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)) }));
  }

  /** Threads a step runs on now (1 without replicas, or after they failed). */
  get threads(): number {
    return this.replicas?.threads ?? 1;
  }

  /** The kernel the model reads: w * mask, times the channel scale where there is one. */
  private writeKernel(s: KernelState): void {
    tf.tidy(() => {
      const masked = tf.mul(s.dense, s.mask);
      s.kernel.variable.write(s.scale ? tf.mul(masked, s.scale.value) : masked);
    });
  }

  /** Per-weight decay for a mask: weightDecay on kept weights, weightDecay + lambda on pruned ones. */
  private coefOf(mask: tf.Tensor): tf.Tensor {
    const { weightDecay, lambda } = this.sgd;
    return tf.tidy(() => tf.sub(weightDecay + lambda, tf.mul(mask, lambda)));
  }

  /** The variables the loss is differentiated against. */
  private trainables(): tf.Variable[] {
    return [...this.states.map((s) => s.kernel.variable.read() as tf.Variable), ...this.others.map((o) => o.variable)];
  }

  /**
   * Loss, gradients and student logits of a batch, through at most `chunk` images at a time: a
   * larger batch is split, each part's loss weighted by its share of the batch, and the
   * gradients summed. Every objective is a mean over images, so the sum is the batch's gradient;
   * memory follows the chunk. (BatchNorm layers see statistics per chunk, as with any
   * micro-batching.) With replicas each chunk is split between the threads
   * (train/replicas.ts), BatchNorm still seeing the whole chunk's statistics.
   */
  private gradients(batch: StepBatch, logits: (x: tf.Tensor) => tf.Tensor2D, objective: ObjectiveParams, chunk: number) {
    const vars = this.trainables();
    const n = batch.x.shape[0]!;
    const size = Math.max(1, Math.min(n, Math.floor(chunk)));
    const sizes = Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size));
    const replicas = this.replicas;
    if (replicas && sizes.every((s) => s >= 2 * replicas.threads)) {
      try {
        return replicas.gradients(this.model, vars, batch, logits, objective, sizes);
      } catch (e) {
        // A helper failed: carry on with this thread alone (the step is recomputed whole).
        this.replicaFailure = errorMessage(e);
        this.replicas = null;
        void replicas.close();
      }
    }
    const pieces: tf.Tensor2D[] = [];
    const r = partGradients(vars, batch, (x) => {
      const y = tf.keep(logits(x));
      pieces.push(y);
      return y;
    }, objective, sizes, n);
    const all = pieces.length === 1 ? pieces[0]! : tf.concat(pieces);
    if (pieces.length > 1) tf.dispose(pieces);
    return { ...r, logits: all };
  }

  /**
   * One SGD step. `logits(x)` runs the student in training mode (once per chunk of at most
   * `chunk` images, see gradients()); `onLogits` receives the student's logits of the whole batch
   * (kept: the caller disposes them). Returns the loss as a scalar tensor (the caller reads it
   * asynchronously and disposes it).
   */
  step(batch: StepBatch, logits: (x: tf.Tensor) => tf.Tensor2D, objective: ObjectiveParams, lr: number, maskInterval = 1, chunk = Infinity, onLogits?: (t: tf.Tensor2D) => void): tf.Scalar {
    const { value, grads, logits: studentLogits } = this.gradients(batch, logits, objective, chunk);
    if (onLogits) onLogits(studentLogits);
    else studentLogits.dispose();
    const { momentum, weightDecay } = this.sgd;
    this.stepCount++;
    const remask = this.stepCount % Math.max(1, maskInterval) === 0;
    const fused = webgpuMaskedUpdateAvailable() ? webgpuMaskedUpdate : webglMaskedUpdateAvailable() ? webglMaskedUpdate : wasmMaskedUpdateAvailable() ? wasmMaskedUpdate : null;
    tf.tidy(() => {
      for (const s of this.states) {
        const g = grads[(s.kernel.variable.read() as tf.Variable).name];
        if (!g) continue;
        if (s.scale) {
          // The scale's own gradient, sum of g * w * mask over each channel, is taken before w
          // moves; w then takes g itself, the step it would take without the scale, so a
          // channel's relative change is the unscaled model's and not the scale's times.
          const sc = s.scale;
          const gs = tf.sum(tf.mul(g, tf.mul(s.dense, s.mask)), sc.axes);
          sc.velocity.assign(tf.addN([tf.mul(sc.velocity, momentum), gs, tf.mul(sc.value, weightDecay)]));
          sc.value.assign(tf.sub(sc.value, tf.mul(sc.velocity, lr)));
        }
        // v = momentum v + g + (weightDecay + lambda (1 - mask)) w; w -= lr v.
        if (fused) {
          const next = fused({ g, dense: s.dense, velocity: s.velocity, coef: s.coef, momentum, lr });
          s.velocity.assign(next.velocity);
          s.dense.assign(next.dense);
        } else {
          s.velocity.assign(tf.addN([tf.mul(s.velocity, momentum), g, tf.mul(s.coef, s.dense)]));
          s.dense.assign(tf.sub(s.dense, tf.mul(s.velocity, lr)));
        }
        if (remask) {
          const next = tf.keep(deviceMask(s.dense, s.kernel.spec));
          s.mask.dispose();
          s.mask = next;
          s.coef.dispose();
          s.coef = tf.keep(this.coefOf(next));
        }
        this.writeKernel(s);
      }
      for (const o of this.others) {
        const g = grads[o.variable.name];
        if (!g) continue;
        o.velocity.assign(tf.add(tf.mul(o.velocity, momentum), tf.add(g, tf.mul(o.variable, weightDecay))));
        o.variable.assign(tf.sub(o.variable, tf.mul(o.velocity, lr)));
      }
    });
    for (const g of Object.values(grads)) g.dispose();
    return value;
  }

  /** Per-kernel fraction of mask bits flipped since the previous call. */
  async churn(): Promise<number[]> {
    const stacked = tf.tidy(() => tf.stack(this.states.map((s) => tf.mean(tf.abs(tf.sub(s.mask, s.lastLogged))))));
    const values = Array.from(await stacked.data());
    stacked.dispose();
    for (const s of this.states) {
      s.lastLogged.dispose();
      s.lastLogged = tf.keep(s.mask.clone());
    }
    return values;
  }

  /** Current masks as bytes (1 = kept), in kernel order. */
  async masks(): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for (const s of this.states) out.push(Uint8Array.from(await s.mask.data()));
    return out;
  }

  /** Dense weights (the straight-through shadow), for checkpoints that resume training. */
  denseWeights(): tf.Tensor[] {
    return this.states.map((s) => s.dense.clone());
  }

  /** Everything needed to continue training exactly where it is (see `restore`). */
  async state(): Promise<TrainerState> {
    const bits = async (t: tf.Tensor) => Uint8Array.from(await t.data());
    const masks: Uint8Array[] = [];
    const lastLogged: Uint8Array[] = [];
    for (const s of this.states) {
      masks.push(await bits(s.mask));
      lastLogged.push(await bits(s.lastLogged));
    }
    return {
      steps: this.stepCount,
      dense: await toTensorDataAll(this.states.map((s) => s.dense)),
      masks,
      lastLogged,
      velocity: await toTensorDataAll(this.states.map((s) => s.velocity)),
      otherVelocity: await toTensorDataAll(this.others.map((o) => o.velocity)),
      scales: await Promise.all(this.states.map(async (s) => {
        if (!s.scale) return null;
        const [value, velocity] = await toTensorDataAll([s.scale.value, s.scale.velocity]);
        return { value: value!, velocity: velocity! };
      })),
    };
  }

  /** Continues from a saved state of a trainer over the same model and kernels. */
  restore(saved: TrainerState): void {
    const counts = [saved.dense.length, saved.masks.length, saved.lastLogged.length, saved.velocity.length];
    if (counts.some((c) => c !== this.states.length) || saved.otherVelocity.length !== this.others.length) {
      throw new Error(`The checkpoint's training state does not fit this model (${saved.dense.length} masked kernels saved, ${this.states.length} here).`);
    }
    const asTensor = (bits: Uint8Array, shape: number[]) => tf.tensor(Float32Array.from(bits), shape);
    this.states.forEach((s, i) => {
      const shape = s.dense.shape;
      tf.tidy(() => {
        s.dense.assign(fromTensorData(saved.dense[i]!).reshape(shape));
        s.velocity.assign(fromTensorData(saved.velocity[i]!).reshape(shape));
      });
      s.mask.dispose();
      s.lastLogged.dispose();
      s.mask = asTensor(saved.masks[i]!, shape);
      s.coef.dispose();
      s.coef = this.coefOf(s.mask);
      s.lastLogged = asTensor(saved.lastLogged[i]!, shape);
      const scale = saved.scales?.[i] ?? null;
      if ((scale === null) !== (s.scale === null)) throw new Error(`The checkpoint's training state does not fit this model (kernel ${i + 1}: channel scale ${s.scale ? 'expected' : 'not expected'}).`);
      if (scale && s.scale) {
        const sc = s.scale;
        tf.tidy(() => {
          sc.value.assign(fromTensorData(scale.value).reshape(sc.shape));
          sc.velocity.assign(fromTensorData(scale.velocity).reshape(sc.shape));
        });
      }
      this.writeKernel(s);
    });
    this.others.forEach((o, i) => tf.tidy(() => o.velocity.assign(fromTensorData(saved.otherVelocity[i]!).reshape(o.velocity.shape))));
    this.stepCount = saved.steps;
  }

  dispose(): void {
    for (const s of this.states) {
      s.dense.dispose();
      s.mask.dispose();
      s.coef.dispose();
      s.lastLogged.dispose();
      s.velocity.dispose();
      s.scale?.value.dispose();
      s.scale?.velocity.dispose();
    }
    for (const o of this.others) o.velocity.dispose();
  }
}
