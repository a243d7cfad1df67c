/**
 * The studio's own WebAssembly SIMD kernels (kernels.wat), for gradients that TF.js's wasm
 * backend computes slowly. The module has its own memory: inputs are copied in (a memcpy, far
 * cheaper than the kernels' passes), the small results read back. Null where the runtime has no
 * WebAssembly SIMD; callers then fall back to their composed form.
 */
import type * as tf from '@tensorflow/tfjs';
import { KERNELS_WASM_BASE64 } from './kernels.wasm';

interface Exports {
  memory: WebAssembly.Memory;
  depthwiseFilter(...args: number[]): void;
}

let exports: Exports | null | undefined;

function bytesOf(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The instantiated module, or null without WebAssembly SIMD. Synchronous (the module is a few KB). */
function kernels(): Exports | null {
  if (exports === undefined) {
    try {
      exports = new WebAssembly.Instance(new WebAssembly.Module(bytesOf(KERNELS_WASM_BASE64))).exports as unknown as Exports;
    } catch {
      exports = null;
    }
  }
  return exports;
}

/** True when the SIMD kernels can run here. */
export function simdAvailable(): boolean {
  return kernels() !== null;
}

const align = (n: number) => Math.ceil(n / 16) * 16;

/** Byte offsets of consecutive regions of the given sizes in the module's memory, grown to fit. */
function layout(k: Exports, sizes: number[]): number[] {
  const offsets: number[] = [];
  let end = 16;
  for (const s of sizes) {
    offsets.push(end);
    end = align(end + s);
  }
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / 65536));
  return offsets;
}

/**
 * dW of a depthwise conv with channel multiplier 1 ([kh, kw, c] flattened, float32, summed in
 * float32 per image and in float64 over images) from x and dy (NHWC), per `info`. Null without SIMD.
 */
export function depthwiseFilterGradSimd(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float32Array | null {
  const k = kernels();
  if (!k) return null;
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
  const taps = kh * kw * c;
  const [px, pdy, pacc, pacc64] = layout(k, [x.length * 4, dy.length * 4, taps * 4, taps * 8]) as [number, number, number, number];
  const buf = k.memory.buffer;
  new Float32Array(buf, px, x.length).set(x);
  new Float32Array(buf, pdy, dy.length).set(dy);
  new Float64Array(buf, pacc64, taps).fill(0);
  k.depthwiseFilter(
    px, pdy, pacc, pacc64, batchSize, inHeight, inWidth, c, outHeight, outWidth, kh, kw,
    info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left,
  );
  return Float32Array.from(new Float64Array(k.memory.buffer, pacc64, taps));
}

interface BnExports extends Exports {
  channelMoment(x: number, rows: number, c: number, shift: number, pow: number, acc: number, out: number): void;
  channelDySums(dy: number, x: number, rows: number, c: number, mean: number, acc1: number, acc2: number, out1: number, out2: number): void;
  channelAffine(u: number, v: number, rows: number, c: number, a: number, b: number, d: number, out: number): void;
}

/** True when the BN kernels apply to `c` channels here (SIMD present, c a multiple of 4). */
export function simdBatchNormApplies(c: number): boolean {
  return c > 0 && c % 4 === 0 && kernels() !== null;
}

/**
 * Training-mode BatchNormalization of x viewed as [rows, c]: the batch mean and biased variance
 * per channel (two passes: the mean, then the centred squares; summed in float32 per 256 rows,
 * in float64 over blocks), and y = (x - mean) / sqrt(variance + eps) * gamma + beta written into
 * `y`. Returns the statistics and 1 / sqrt(variance + eps).
 */
export function batchNormForwardSimd(
  x: Float32Array, c: number, gamma: Float32Array, beta: Float32Array, eps: number, y: Float32Array,
): { mean: Float32Array; variance: Float32Array; rstd: Float32Array } {
  const k = kernels() as BnExports;
  const rows = x.length / c;
  const [px, py, pacc, pshift, pout, pa, pd] = layout(k, [x.length * 4, x.length * 4, c * 4, c * 4, c * 8, c * 4, c * 4]) as number[] as [number, number, number, number, number, number, number];
  const buf = k.memory.buffer;
  new Float32Array(buf, px, x.length).set(x);
  const shift = new Float32Array(buf, pshift, c).fill(0);
  const out = new Float64Array(buf, pout, c);
  k.channelMoment(px, rows, c, pshift, 1, pacc, pout);
  const mean = Float32Array.from(out, (s) => s / rows);
  shift.set(mean);
  k.channelMoment(px, rows, c, pshift, 2, pacc, pout);
  const variance = Float32Array.from(out, (s) => s / rows);
  const rstd = Float32Array.from(variance, (v) => 1 / Math.sqrt(v + eps));
  const a = new Float32Array(buf, pa, c);
  const d = new Float32Array(buf, pd, c);
  for (let i = 0; i < c; i++) {
    a[i] = gamma[i]! * rstd[i]!;
    d[i] = beta[i]! - mean[i]! * a[i]!;
  }
  k.channelAffine(px, 0, rows, c, pa, pa, pd, py);
  y.set(new Float32Array(buf, py, x.length));
  return { mean, variance, rstd };
}

/**
 * The gradient of batchNormForwardSimd: dgamma = rstd * sum(dy * (x - mean)), dbeta = sum(dy),
 * dx = gamma * rstd * (dy - dbeta / n - (x - mean) * rstd * dgamma / n), written into `dx`.
 */
export function batchNormBackwardSimd(
  dy: Float32Array, x: Float32Array, c: number, mean: Float32Array, rstd: Float32Array, gamma: Float32Array, dx: Float32Array,
): { dGamma: Float32Array; dBeta: Float32Array } {
  const k = kernels() as BnExports;
  const rows = x.length / c;
  const [pdy, px, pdx, pmean, pacc1, pacc2, po1, po2, pa, pb, pd] = layout(k, [
    x.length * 4, x.length * 4, x.length * 4, c * 4, c * 4, c * 4, c * 8, c * 8, c * 4, c * 4, c * 4,
  ]) as number[] as [number, number, number, number, number, number, number, number, number, number, number];
  const buf = k.memory.buffer;
  new Float32Array(buf, pdy, dy.length).set(dy);
  new Float32Array(buf, px, x.length).set(x);
  new Float32Array(buf, pmean, c).set(mean);
  k.channelDySums(pdy, px, rows, c, pmean, pacc1, pacc2, po1, po2);
  const sumDy = new Float64Array(buf, po1, c);
  const sumDyXc = new Float64Array(buf, po2, c);
  const dGamma = Float32Array.from(sumDyXc, (s, i) => s * rstd[i]!);
  const dBeta = Float32Array.from(sumDy);
  const a = new Float32Array(buf, pa, c);
  const b = new Float32Array(buf, pb, c);
  const d = new Float32Array(buf, pd, c);
  for (let i = 0; i < c; i++) {
    a[i] = gamma[i]! * rstd[i]!;
    b[i] = (a[i]! * rstd[i]! * -dGamma[i]!) / rows;
    // a dy + b (x - mean) + e, with the constant terms folded: e - b mean.
    d[i] = (a[i]! * -sumDy[i]!) / rows - b[i]! * mean[i]!;
  }
  k.channelAffine(pdy, px, rows, c, pa, pb, pd, pdx);
  dx.set(new Float32Array(buf, pdx, x.length));
  return { dGamma, dBeta };
}

interface ReluExports extends Exports {
  reluGrad(dy: number, y: number, n: number, cap: number, out: number): void;
}

/** dx = dy where 0 < y < cap (Infinity for ReLU), else 0, written into `dx`. Null without SIMD. */
export function reluGradSimd(dy: Float32Array, y: Float32Array, cap: number, dx: Float32Array): boolean {
  const k = kernels() as ReluExports | null;
  if (!k) return false;
  const [pdy, py, pdx] = layout(k, [dy.length * 4, y.length * 4, dy.length * 4]) as [number, number, number];
  const buf = k.memory.buffer;
  new Float32Array(buf, pdy, dy.length).set(dy);
  new Float32Array(buf, py, y.length).set(y);
  k.reluGrad(pdy, py, dy.length, cap, pdx);
  dx.set(new Float32Array(buf, pdx, dy.length));
  return true;
}
