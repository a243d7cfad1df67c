/**
 * Times the studio's GPU kernels (src/engine/webgpu, src/engine/webgl) against the generic ops
 * they replace, and counts the shader launches each path makes, on the layer shapes of a small
 * convnet. For the browser test's report: on a software adapter the figures say how many
 * launches went, not how fast a real GPU would be.
 */
import * as tf from '@tensorflow/tfjs';
import { nmRankMask } from './masks/device-masks';
import { selectMagnitudeMask } from './masks/magnitude-select';
import { genericUpdate, tiedNormals } from './webgpu/kernel-self-test';
import type { MaskedUpdateInputs } from './webgpu/masked-update';

/** One path's cost on one case. */
export interface PathCost {
  /** Median wall time of a call and one read of its result, after warm-up, ms. */
  ms: number;
  /** Shader launches (dispatches, draws) made by one call. */
  dispatches: number;
}

/** Generic ops (old) against the backend's kernel (new) on one case. */
export interface KernelTiming {
  kernel: string;
  shape: number[];
  old: PathCost;
  new: PathCost;
}

/** One backend's kernels, and the backend method every shader launch goes through. */
export interface GpuKernels {
  /** runWebGPUProgram (one call a dispatch) or runWebGLProgram (one a draw, unpacking included). */
  launchMethod: string;
  magnitudeMask(w: tf.Tensor, keep: number): tf.Tensor;
  nmMask(w: tf.Tensor, n: number, m: number): tf.Tensor;
  maskedUpdate(u: MaskedUpdateInputs): { velocity: tf.Tensor; dense: tf.Tensor };
}

/** Timed calls per path after the warm-up ones (which compile the shaders). */
const RUNS = 5;
const WARM_UP = 2;

/** Calls of the backend's `method` while `fn` runs, by wrapping it on the instance. */
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

/** A call and one read of its result, ms. */
async function once(path: () => tf.Tensor): Promise<number> {
  const start = performance.now();
  const t = tf.tidy(path);
  await t.data();
  t.dispose();
  return performance.now() - start;
}

const median = (times: number[]) => Math.round(times.sort((a, b) => a - b)[Math.floor(times.length / 2)]! * 10) / 10;

type Path = (ins: tf.Tensor[]) => tf.Tensor;

/**
 * Times both paths on tied normals of `shape`; `prepare` makes their other inputs, untimed. Runs
 * alternate between the paths, so a load that comes and goes on the machine weighs on both.
 */
async function compare(launchMethod: string, kernel: string, shape: number[], prepare: (w: tf.Tensor) => tf.Tensor[], oldPath: Path, newPath: Path): Promise<KernelTiming> {
  const ins = tf.tidy(() => {
    // Weights as training leaves them: the output of a generic op (packed on WebGL), not an upload.
    const w = tf.mul(tf.tensor(tiedNormals(shape.reduce((a, b) => a * b, 1), 21), shape), 1);
    return [w, ...prepare(w)];
  });
  try {
    const paths = [() => oldPath(ins), () => newPath(ins)];
    for (let i = 0; i < WARM_UP; i++) for (const p of paths) await once(p);
    const times: number[][] = [[], []];
    for (let i = 0; i < RUNS; i++) for (const [j, p] of paths.entries()) times[j]!.push(await once(p));
    const [oldCost, newCost] = paths.map((p, j): PathCost => ({ ms: median(times[j]!), dispatches: countBackendCalls(launchMethod, () => tf.tidy(p).dispose()) }));
    return { kernel, shape, old: oldCost!, new: newCost! };
  } finally {
    tf.dispose(ins);
  }
}

/**
 * Old path against new for magnitude masks (30% kept) on a 3x3 conv and a 1x1 conv of 256
 * channels, a 2:4 mask, and the masked update. The old paths are the generic ones: threshold
 * selection, rank comparisons (nmRankMask), generic ops (on the mask, and on a cached coef).
 */
export async function kernelTimings(k: GpuKernels): Promise<KernelTiming[]> {
  const run = compare.bind(null, k.launchMethod);
  const out: KernelTiming[] = [];
  const none = () => [];
  for (const shape of [[3, 3, 32, 64], [1, 1, 256, 256]]) {
    const keep = Math.round(0.3 * shape.reduce((a, b) => a * b, 1));
    out.push(await run('magnitude mask', shape, none, ([w]) => tf.reshape(selectMagnitudeMask(w!, keep), w!.shape), ([w]) => k.magnitudeMask(w!, keep)));
  }
  out.push(await run('2:4 mask', [3, 3, 32, 64], none, ([w]) => nmRankMask(w!, 2, 4), ([w]) => k.nmMask(w!, 2, 4)));
  const [momentum, lr, weightDecay, lambda] = [0.9, 0.05, 1e-4, 0.5];
  const updateInputs = (w: tf.Tensor) => {
    const mask = tf.cast(tf.greater(tf.abs(w), 0.5), 'float32');
    return [tf.mul(w, 0.01), tf.mul(w, 0.1), mask, tf.add(weightDecay, tf.mul(lambda, tf.sub(1, mask)))];
  };
  const fused: Path = ([dense, g, velocity, , coef]) => k.maskedUpdate({ g: g!, dense: dense!, velocity: velocity!, coef: coef!, momentum, lr }).dense;
  out.push(await run('masked update', [3, 3, 32, 64], updateInputs, ([dense, g, velocity, mask]) => genericUpdate({ g: g!, dense: dense!, velocity: velocity!, momentum, lr }, mask!, weightDecay, lambda).dense, fused));
  const withCoef: Path = ([dense, g, velocity, , coef]) => {
    const v = tf.addN([tf.mul(velocity!, momentum), g!, tf.mul(coef!, dense!)]);
    return tf.sub(dense!, tf.mul(v, lr));
  };
  out.push(await run('masked update (cached coef)', [3, 3, 32, 64], updateInputs, withCoef, fused));
  return out;
}
