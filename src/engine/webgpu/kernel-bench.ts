/**
 * Times the WebGPU kernels against the generic ops they replace, and counts the shader dispatches
 * each path makes, on the layer shapes of a small convnet. For the browser test's report: on a
 * software adapter the figures say how many launches went, not how fast a real GPU would be.
 */
import * as tf from '@tensorflow/tfjs';
import { nmRankMask } from '../masks/device-masks';
import { selectMagnitudeMask } from '../masks/magnitude-select';
import { genericUpdate, tiedNormals } from './kernel-self-test';
import { webgpuMagnitudeMask } from './magnitude-mask';
import { webgpuMaskedUpdate } from './masked-update';
import { webgpuNmMask } from './nm-mask';
import { onWebGpu } from './program';

/** One path's cost on one case. */
export interface PathCost {
  /** Median wall time of a call and one read of its result, after warm-up, ms. */
  ms: number;
  /** Compute shaders dispatched by one call. */
  dispatches: number;
}

/** Generic ops (old) against the WebGPU kernel (new) on one case. */
export interface KernelTiming {
  kernel: string;
  shape: number[];
  old: PathCost;
  new: PathCost;
}

/** Timed calls per path after the warm-up ones (which compile the shaders). */
const RUNS = 3;
const WARM_UP = 2;

/**
 * Calls of the backend's `method` while `fn` runs (runWebGPUProgram: one per dispatch;
 * runWebGLProgram: one per draw, unpacking included), by wrapping it on the instance.
 */
export function countBackendCalls(method: string, fn: () => void): number {
  const b = tf.backend() as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = b[method]!;
  let count = 0;
  b[method] = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
  try {
    fn();
  } finally {
    delete b[method]; // the prototype's method again
  }
  return count;
}

async function cost(path: () => tf.Tensor): Promise<PathCost> {
  const once = async () => {
    const t = tf.tidy(path);
    await t.data();
    t.dispose();
  };
  for (let i = 0; i < WARM_UP; i++) await once();
  const dispatches = countBackendCalls('runWebGPUProgram', () => tf.tidy(path).dispose());
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10, dispatches };
}

/** Times both paths on tied normals of `shape`; `prepare` makes their other inputs, untimed. */
async function compare(kernel: string, shape: number[], prepare: (w: tf.Tensor) => tf.Tensor[], oldPath: (ins: tf.Tensor[]) => tf.Tensor, newPath: (ins: tf.Tensor[]) => tf.Tensor): Promise<KernelTiming> {
  const ins = tf.tidy(() => {
    const w = tf.tensor(tiedNormals(shape.reduce((a, b) => a * b, 1), 21), shape);
    return [w, ...prepare(w)];
  });
  try {
    return { kernel, shape, old: await cost(() => oldPath(ins)), new: await cost(() => newPath(ins)) };
  } finally {
    tf.dispose(ins);
  }
}

/**
 * Old path against new for magnitude masks (30% kept) on a 3x3 conv and a 1x1 conv of 256
 * channels, a 2:4 mask, and the masked update. The old paths are what WebGL runs: threshold
 * selection, rank comparisons (nmRankMask), generic ops (on the mask, and on a cached coef).
 */
export async function webgpuKernelTimings(): Promise<KernelTiming[]> {
  if (!onWebGpu()) throw new Error(`Kernel timings need the webgpu backend (active: ${tf.getBackend()})`);
  const out: KernelTiming[] = [];
  const none = () => [];
  for (const shape of [[3, 3, 32, 64], [1, 1, 256, 256]]) {
    const keep = Math.round(0.3 * shape.reduce((a, b) => a * b, 1));
    out.push(await compare('magnitude mask', shape, none, ([w]) => tf.reshape(selectMagnitudeMask(w!, keep), w!.shape), ([w]) => webgpuMagnitudeMask(w!, keep)));
  }
  out.push(await compare('2:4 mask', [3, 3, 32, 64], none, ([w]) => nmRankMask(w!, 2, 4), ([w]) => webgpuNmMask(w!, 2, 4)));
  const [momentum, lr, weightDecay, lambda] = [0.9, 0.05, 1e-4, 0.5];
  const updateInputs = (w: tf.Tensor) => {
    const mask = tf.cast(tf.greater(tf.abs(w), 0.5), 'float32');
    return [tf.mul(w, 0.01), tf.mul(w, 0.1), mask, tf.add(weightDecay, tf.mul(lambda, tf.sub(1, mask)))];
  };
  const fused = ([dense, g, velocity, , coef]: tf.Tensor[]) => webgpuMaskedUpdate({ g: g!, dense: dense!, velocity: velocity!, coef: coef!, momentum, lr }).dense;
  out.push(await compare('masked update', [3, 3, 32, 64], updateInputs, ([dense, g, velocity, mask]) => genericUpdate({ g: g!, dense: dense!, velocity: velocity!, momentum, lr }, mask!, weightDecay, lambda).dense, fused));
  const withCoef = ([dense, g, velocity, , coef]: tf.Tensor[]) => {
    const v = tf.addN([tf.mul(velocity!, momentum), g!, tf.mul(coef!, dense!)]);
    return tf.sub(dense!, tf.mul(v, lr));
  };
  out.push(await compare('masked update (cached coef)', [3, 3, 32, 64], updateInputs, withCoef, fused));
  return out;
}
