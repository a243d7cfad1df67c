/**
 * Checks the studio's WebGPU kernels against independent references: masks against the host's
 * (src/engine/pipeline/weights.ts hostMask) bit for bit, the masked update against the trainer's
 * generic ops within float32 rounding. The cases stress what the kernels do differently from the
 * generic paths: layers spanning many chunks and histogram workgroups, heavy ties, zeros of both
 * signs, subnormals, NaN and infinities, keep at both ends, all-equal layers.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng';
import { hostMask } from '../pipeline/weights';
import { webgpuMagnitudeMask } from './magnitude-mask';
import { webgpuMaskedUpdate, type MaskedUpdateInputs } from './masked-update';
import { webgpuNmMask } from './nm-mask';
import { onWebGpu } from './program';

/** The kernels under test; the generic ops stand in for them where WebGPU is absent. */
export interface MaskKernels {
  magnitude(w: tf.Tensor, keep: number): tf.Tensor;
  nm(w: tf.Tensor, n: number, m: number): tf.Tensor;
  update(u: MaskedUpdateInputs): { velocity: tf.Tensor; dense: tf.Tensor };
}

/** Values with ties: normals rounded to 1/16, so many magnitudes repeat. */
export function tiedNormals(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => Math.round(rng.normal() * 16) / 16);
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Tied normals with every 5th weight a zero (either sign), subnormal pairs, NaN and infinities. */
function oddValues(n: number): Float32Array {
  const w = tiedNormals(n, 5);
  for (let i = 0; i < n; i += 5) w[i] = i % 10 === 0 ? 0 : -0;
  for (let i = 3; i < n; i += 97) w[i] = (i % 2 ? 1 : -1) * 2 ** -140 * (1 + (i % 3));
  for (const i of [1, 2, 400, 1000, n - 1]) w[i] = NaN;
  for (const [i, v] of [[7, Infinity], [8, -Infinity], [1200, Infinity]] as const) w[i] = v;
  return w;
}

interface MaskCase {
  shape: number[];
  values: Float32Array;
  what: string;
  mask(k: MaskKernels, w: tf.Tensor): tf.Tensor;
  want(values: Float32Array): Uint8Array;
}

function magnitudeCases(shape: number[], values: Float32Array, keeps: number[]): MaskCase[] {
  return keeps.map((keep) => ({
    shape,
    values,
    what: `magnitude keep ${keep} mask`,
    mask: (k, w) => k.magnitude(w, keep),
    want: (v) => hostMask(v, shape, { kind: 'magnitude', keep }),
  }));
}

function nmCase(shape: number[], values: Float32Array, n: number, m: number): MaskCase {
  return { shape, values, what: `${n}:${m} mask`, mask: (k, w) => k.nm(w, n, m), want: (v) => hostMask(v, shape, { kind: 'nm', n, m }) };
}

function maskCases(): MaskCase[] {
  const conv = [3, 3, 32, 64];
  const big = tiedNormals(size(conv), 1);
  big[100] = NaN;
  const odd = oddValues(37 * 53);
  const aboveZero = odd.filter((v) => v === v && v !== 0).length; // infinities and subnormals included
  const dense = tiedNormals(64 * 48, 2);
  dense[5] = NaN;
  return [
    ...magnitudeCases(conv, big, [1, 5530, size(conv) - 1]),
    // Thresholds at the smallest subnormal, inside the zeros (either sign), inside the NaNs.
    ...magnitudeCases([37, 53], odd, [1, aboveZero, aboveZero + 17, odd.length - 3, odd.length - 1]),
    ...magnitudeCases([20, 55], new Float32Array(1100).fill(-0.375), [1, 550, 1099]),
    ...magnitudeCases([12, 20], tiedNormals(240, 3), [61]),
    nmCase(conv, big, 2, 4),
    nmCase(conv, big, 1, 4),
    nmCase([64, 48], dense, 2, 4),
    nmCase([64, 48], dense, 1, 4),
  ];
}

/** The masked kernel's update as the trainer writes it with generic ops (masked-trainer.ts). */
export function genericUpdate(u: Omit<MaskedUpdateInputs, 'coef'>, mask: tf.Tensor, weightDecay: number, lambda: number) {
  const keepDecay = tf.mul(u.dense, weightDecay);
  const pruneDecay = tf.mul(tf.mul(tf.sub(1, mask), u.dense), lambda);
  const total = tf.add(tf.add(u.g, keepDecay), pruneDecay);
  const velocity = tf.add(tf.mul(u.velocity, u.momentum), total);
  return { velocity, dense: tf.sub(u.dense, tf.mul(velocity, u.lr)) };
}

/** Places where `got` and `want` differ by more than 1e-6 of `scale` (the terms' magnitudes). */
function farApart(got: Float32Array, want: Float32Array, scale: Float32Array): number {
  let wrong = 0;
  for (let i = 0; i < want.length; i++) if (!(Math.abs(got[i]! - want[i]!) <= 1e-6 * scale[i]! + 1e-30)) wrong++;
  return wrong;
}

async function checkUpdate(k: MaskKernels, shape: number[], seed: number): Promise<string | null> {
  const n = size(shape);
  const rng = new Rng(seed);
  const normals = (s: number) => Float32Array.from({ length: n }, () => rng.normal() * s);
  const [g, d, v] = [normals(0.1), normals(1), normals(0.1)];
  const maskBits = Float32Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
  const [momentum, lr, weightDecay, lambda] = [0.9, 0.05, 1e-3, 0.5];
  const { got, want, scale } = tf.tidy(() => {
    const mask = tf.tensor(maskBits, shape);
    const u = { g: tf.tensor(g, shape), dense: tf.tensor(d, shape), velocity: tf.tensor(v, shape), momentum, lr };
    const coef = tf.add(weightDecay, tf.mul(lambda, tf.sub(1, mask)));
    const a = k.update({ ...u, coef });
    const b = genericUpdate(u, mask, weightDecay, lambda);
    // Rounding scales with the terms summed, not with a result that may cancel to near zero.
    const velocityScale = tf.add(tf.add(tf.abs(tf.mul(u.velocity, momentum)), tf.abs(u.g)), tf.abs(tf.mul(coef, u.dense)));
    const denseScale = tf.add(tf.abs(u.dense), tf.mul(velocityScale, lr));
    return { got: [a.velocity, a.dense], want: [b.velocity, b.dense], scale: [velocityScale, denseScale] };
  });
  const read = async (ts: tf.Tensor[]) => Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
  const [gv, gd] = await read(got);
  const [wv, wd] = await read(want);
  const [sv, sd] = await read(scale);
  tf.dispose([got, want, scale]);
  if (got.some((t) => t.shape.join() !== shape.join())) return `its masked update of a [${shape.join(', ')}] kernel returns the wrong shape`;
  const wrong = farApart(gv!, wv!, sv!) + farApart(gd!, wd!, sd!);
  return wrong ? `its masked update of a [${shape.join(', ')}] kernel differs from the generic ops in ${wrong} of ${2 * n} places` : null;
}

/** Null when every kernel matches its reference, else what differed (every failing case, with counts). */
export async function checkKernels(k: MaskKernels): Promise<string | null> {
  const problems: string[] = [];
  for (const c of maskCases()) {
    const t = tf.tidy(() => c.mask(k, tf.tensor(c.values, c.shape)));
    const got = await t.data();
    const shapeOk = t.shape.join() === c.shape.join();
    t.dispose();
    const want = c.want(c.values);
    let wrong = 0;
    for (let j = 0; j < want.length; j++) if (got[j] !== want[j]) wrong++;
    if (!shapeOk) problems.push(`its ${c.what} of a [${c.shape.join(', ')}] kernel has shape mismatch`);
    else if (wrong) problems.push(`its ${c.what} of a [${c.shape.join(', ')}] kernel differs from the reference in ${wrong} of ${want.length} places`);
  }
  for (const [shape, seed] of [[[3, 3, 32, 64], 7], [[7, 5], 8]] as const) {
    const p = await checkUpdate(k, [...shape], seed);
    if (p) problems.push(p);
  }
  return problems.length ? problems.join('; ') : null;
}

/** The WebGPU kernels of src/engine/webgpu. */
export const WEBGPU_KERNELS: MaskKernels = { magnitude: webgpuMagnitudeMask, nm: webgpuNmMask, update: webgpuMaskedUpdate };

/** Null when the WebGPU kernels match their references on this backend and free what they make, else what went wrong. */
export async function webgpuKernelSelfTest(): Promise<string | null> {
  if (!onWebGpu()) return `the active backend is ${tf.getBackend()}, not webgpu`;
  const before = tf.memory();
  const problem = await checkKernels(WEBGPU_KERNELS);
  const after = tf.memory();
  const leaked = Math.max(after.numTensors - before.numTensors, after.numDataBuffers - before.numDataBuffers);
  return problem ?? (leaked > 0 ? `its WebGPU kernels left ${leaked} tensors behind` : null);
}
