/**
 * The studio's own WebAssembly SIMD kernels (kernels.wat), for training paths that TF.js's wasm
 * backend computes slowly. They run where the tensors lie: an instance of the module imports
 * TF.js's wasm heap (plain, or shared in the threaded build) and is handed the tensors' byte
 * offsets, with scratch space allocated on that heap. Where the heap cannot be found (another
 * TF.js build) or for plain arrays, an instance with its own memory takes copies instead, with
 * the same results. simdAvailable() is false where the runtime has no WebAssembly SIMD; callers
 * then fall back to their composed form.
 */
import type * as tf from '@tensorflow/tfjs';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { KERNELS_WASM_IMPORTED_MEMORY, KERNELS_WASM_IMPORTED_SHARED_MEMORY, KERNELS_WASM_OWN_MEMORY } from './kernels.wasm';

interface Exports {
  depthwiseFilter(...args: number[]): void;
  convFilter(...args: number[]): void;
  pointwiseFilter(x: number, dy: number, rows: number, ci: number, co: number, block: number, acc: number, acc64: number): void;
  channelMoments(x: number, rows: number, c: number, shift: number, acc1: number, acc2: number, out1: number, out2: number): void;
  channelDySums(dy: number, x: number, rows: number, c: number, mean: number, acc1: number, acc2: number, out1: number, out2: number, y: number, cap: number): void;
  channelAffine(u: number, v: number, rows: number, c: number, a: number, b: number, d: number, out: number, mode: number, y: number, cap: number): void;
  reluGrad(dy: number, y: number, n: number, cap: number, out: number): void;
}

function bytesOf(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const modules = new Map<string, WebAssembly.Module | null>();

/** A compiled build, or null where it does not compile (no SIMD). Synchronous: the module is a few KB. */
function compiled(b64: string): WebAssembly.Module | null {
  if (!modules.has(b64)) {
    try {
      modules.set(b64, new WebAssembly.Module(bytesOf(b64)));
    } catch {
      modules.set(b64, null);
    }
  }
  return modules.get(b64)!;
}

let own: { exports: Exports; memory: WebAssembly.Memory } | null | undefined;

function ownInstance(): { exports: Exports; memory: WebAssembly.Memory } | null {
  if (own === undefined) {
    const m = compiled(KERNELS_WASM_OWN_MEMORY);
    const inst = m ? new WebAssembly.Instance(m) : null;
    own = inst ? { exports: inst.exports as unknown as Exports, memory: inst.exports['memory'] as WebAssembly.Memory } : null;
  }
  return own;
}

/** True when the SIMD kernels can run here. */
export function simdAvailable(): boolean {
  return ownInstance() !== null;
}

/** True when the BN kernels apply to `c` channels here (SIMD present, c a multiple of 4). */
export function simdBatchNormApplies(c: number): boolean {
  return c > 0 && c % 4 === 0 && simdAvailable();
}

/** The wasm backend's views of tensor memory and its output allocation (the kernels' configs use these). */
export interface WasmHeap {
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

/** The wasm backend's slice this file uses. */
interface WasmBackend extends WasmHeap {
  wasm: { asm?: { memory?: unknown }; wasmMemory?: unknown };
  disposeData(dataId: object, force?: boolean): boolean;
}

const onHeap = new WeakMap<WebAssembly.Memory, Exports | null>();

/** An instance of the kernels on TF.js's own heap, or null (heap not found, or it will not link). */
function heapInstance(backend: WasmBackend): { exports: Exports; memory: WebAssembly.Memory } | null {
  const found = [backend.wasm.wasmMemory, backend.wasm.asm?.memory].find((m): m is WebAssembly.Memory => m instanceof WebAssembly.Memory);
  if (!found) return null;
  if (!onHeap.has(found)) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && found.buffer instanceof SharedArrayBuffer;
    const m = compiled(shared ? KERNELS_WASM_IMPORTED_SHARED_MEMORY : KERNELS_WASM_IMPORTED_MEMORY);
    let exports: Exports | null = null;
    try {
      exports = m ? (new WebAssembly.Instance(m, { env: { memory: found } }).exports as unknown as Exports) : null;
    } catch {
      exports = null;
    }
    onHeap.set(found, exports);
  }
  const exports = onHeap.get(found)!;
  return exports ? { exports, memory: found } : null;
}

const align = (n: number) => Math.ceil(n / 16) * 16;

/**
 * Where one kernel call runs. `input` gives a pointer to data the kernel reads, `output` one to
 * where it writes a tensor's values, `scratch` one to working space; `f32`/`f64` view memory now
 * (an allocation may have moved the buffer); `finish` copies outputs out (own memory) and frees
 * the scratch (TF.js's heap).
 */
interface Site {
  k: Exports;
  input(data: TensorInfo | Float32Array): number;
  output(t: TensorInfo | Float32Array): number;
  scratch(bytes: number): number;
  f32(ptr: number, n: number): Float32Array;
  f64(ptr: number, n: number): Float64Array;
  finish(): void;
}

/** A site on TF.js's heap: tensors in place, scratch as tensors freed at the end. */
function heapSite(backend: WasmBackend, inst: { exports: Exports; memory: WebAssembly.Memory }): Site {
  const temps: TensorInfo[] = [];
  const at = (t: TensorInfo | Float32Array) => {
    if (t instanceof Float32Array) throw new Error('heap site: tensors only');
    return backend.typedArrayFromHeap(t).byteOffset;
  };
  return {
    k: inst.exports,
    input: at,
    output: at,
    scratch(bytes) {
      const t = backend.makeOutput([Math.ceil(bytes / 4) + 4], 'float32');
      temps.push(t);
      return align(backend.typedArrayFromHeap(t).byteOffset);
    },
    f32: (p, n) => new Float32Array(inst.memory.buffer, p, n),
    f64: (p, n) => new Float64Array(inst.memory.buffer, p, n),
    finish() {
      for (const t of temps) backend.disposeData(t.dataId, true);
    },
  };
}

/** A site in the module's own memory: inputs copied in, outputs copied out at the end. */
function copySite(backend: WasmBackend | null, inst: { exports: Exports; memory: WebAssembly.Memory }): Site {
  let end = 16;
  const pending: { ptr: number; to: TensorInfo | Float32Array }[] = [];
  const alloc = (bytes: number) => {
    const p = end;
    end = align(end + bytes);
    const have = inst.memory.buffer.byteLength;
    if (end > have) inst.memory.grow(Math.ceil((end - have) / 65536));
    return p;
  };
  const values = (t: TensorInfo | Float32Array) => (t instanceof Float32Array ? t : backend!.typedArrayFromHeap(t));
  const size = (t: TensorInfo | Float32Array) => (t instanceof Float32Array ? t.length : t.shape.reduce((a, b) => a * b, 1));
  return {
    k: inst.exports,
    input(t) {
      const p = alloc(size(t) * 4);
      new Float32Array(inst.memory.buffer, p, size(t)).set(values(t));
      return p;
    },
    output(t) {
      const p = alloc(size(t) * 4);
      pending.push({ ptr: p, to: t });
      return p;
    },
    scratch: alloc,
    f32: (p, n) => new Float32Array(inst.memory.buffer, p, n),
    f64: (p, n) => new Float64Array(inst.memory.buffer, p, n),
    finish() {
      for (const { ptr, to } of pending) values(to).set(new Float32Array(inst.memory.buffer, ptr, size(to)));
    },
  };
}

/** Runs `body` at the best site for `backend` (null: plain arrays, own memory). */
function at<T>(backend: KernelBackend | null, body: (s: Site) => T): T {
  const b = backend as unknown as WasmBackend | null;
  const heap = b ? heapInstance(b) : null;
  const ownInst = ownInstance();
  if (!heap && !ownInst) throw new Error('WebAssembly SIMD is not available');
  const site = heap ? heapSite(b!, heap) : copySite(b, ownInst!);
  try {
    const out = body(site);
    site.finish();
    return out;
  } catch (e) {
    site.finish();
    throw e;
  }
}

/** Whether kernels for `backend` run on its heap in place (false: through copies). */
export function simdOnHeap(backend: KernelBackend): boolean {
  return heapInstance(backend as unknown as WasmBackend) !== null;
}

/**
 * A filter-gradient kernel call: float32 scratch and a zeroed float64 accumulator of `n` values, x and dy as inputs,
 * `run` calls the kernel with their pointers (x, dy, acc32, acc64), and the float64 sums become `out`.
 */
function filterGradInto(
  backend: KernelBackend | null, x: TensorInfo | Float32Array, dy: TensorInfo | Float32Array, n: number, out: TensorInfo | Float32Array,
  run: (k: Exports, px: number, pdy: number, pacc: number, pacc64: number) => void,
): void {
  at(backend, (s) => {
    const pacc = s.scratch(n * 4);
    const pacc64 = s.scratch(n * 8);
    const px = s.input(x);
    const pdy = s.input(dy);
    const pout = s.output(out);
    s.f64(pacc64, n).fill(0);
    run(s.k, px, pdy, pacc, pacc64);
    s.f32(pout, n).set(s.f64(pacc64, n));
  });
}

/**
 * dW of a depthwise conv with channel multiplier 1 into `out` ([kh, kw, c], summed in float32 per
 * image and in float64 over images) from x and dy (NHWC), per `info`.
 */
export function depthwiseFilterGradSimd(
  backend: KernelBackend | null, x: TensorInfo | Float32Array, dy: TensorInfo | Float32Array, info: tf.backend_util.Conv2DInfo, out: TensorInfo | Float32Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
  filterGradInto(backend, x, dy, kh * kw * c, out, (k, px, pdy, pacc, pacc64) =>
    k.depthwiseFilter(
      px, pdy, pacc, pacc64, batchSize, inHeight, inWidth, c, outHeight, outWidth, kh, kw,
      info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left,
    ),
  );
}

/** True when pointwiseFilterGradSimd applies to `ci` input and `co` output channels here. */
export function simdPointwiseApplies(ci: number, co: number): boolean {
  return ci > 0 && co > 0 && ci % 4 === 0 && co % 8 === 0 && simdAvailable();
}

/**
 * dW of a 1x1, stride-1, unpadded conv into `out` ([ci, co]) from x ([rows, ci]) and dy ([rows, co]): summed in float32
 * over blocks of rows, whose x and dy together stay within 128 KB (in cache), and in float64 over blocks.
 */
export function pointwiseFilterGradSimd(
  backend: KernelBackend | null, x: TensorInfo | Float32Array, dy: TensorInfo | Float32Array, rows: number, ci: number, co: number, out: TensorInfo | Float32Array,
): void {
  const block = Math.max(16, Math.min(256, Math.floor(32768 / (ci + co))));
  filterGradInto(backend, x, dy, ci * co, out, (k, px, pdy, pacc, pacc64) => k.pointwiseFilter(px, pdy, rows, ci, co, block, pacc, pacc64));
}

/** True when convFilterGradSimd applies to `co` output channels here. */
export function simdConvFilterApplies(co: number): boolean {
  return co > 0 && co % 8 === 0 && simdAvailable();
}

/**
 * dW of a 2-D conv (NHWC, any kernel, stride, dilation and padding) into `out` ([kh, kw, ci, co]) from x and dy, per
 * `info`: summed in float32 per image and in float64 over images.
 */
export function convFilterGradSimd(
  backend: KernelBackend | null, x: TensorInfo | Float32Array, dy: TensorInfo | Float32Array, info: tf.backend_util.Conv2DInfo, out: TensorInfo | Float32Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels: ci, outChannels: co, outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
  filterGradInto(backend, x, dy, kh * kw * ci * co, out, (k, px, pdy, pacc, pacc64) =>
    k.convFilter(
      px, pdy, pacc, pacc64, batchSize, inHeight, inWidth, ci, co, outHeight, outWidth, kh, kw,
      info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left,
    ),
  );
}

/** Float32 copy of a small tensor or array. */
function small(backend: KernelBackend | null, t: TensorInfo | Float32Array): Float32Array {
  return t instanceof Float32Array ? t.slice() : (backend as unknown as WasmBackend).typedArrayFromHeap(t).slice();
}

/** Sums per-thread partial sums into the batch's (train/batch-sync.ts); `local` when one thread has the whole batch. */
export type BatchReduce = (values: Float64Array) => Float64Array;

const local: BatchReduce = (v) => v;

/** channelAffine's modes: plain, dy masked by a ReLU's output first, output clamped to [0, cap]. */
const AFFINE_PLAIN = 0;
const AFFINE_MASK = 1;
const AFFINE_CLAMP = 2;

/**
 * Training-mode BatchNormalization of x viewed as [rows, c]: the batch mean and biased variance
 * per channel (one pass over x for the sums and squares about each channel's first row, summed
 * in float32 per 256 rows, in float64 over blocks) and y = (x - mean) / sqrt(variance + eps) *
 * gamma + beta into `y`, or with `cap` a ReLU (cap Infinity) or ReLU6 (6) of it, in the same
 * pass. Returns the statistics and 1 / sqrt(variance + eps). With `reduce` (a batch split across
 * threads, train/batch-sync.ts) the row counts, sums and squares are totals over the threads.
 */
export function batchNormForwardSimd(
  backend: KernelBackend | null, x: TensorInfo | Float32Array, c: number, gammaIn: TensorInfo | Float32Array, betaIn: TensorInfo | Float32Array, eps: number, y: TensorInfo | Float32Array,
  reduce: BatchReduce = local, cap: number | null = null,
): { mean: Float32Array; variance: Float32Array; rstd: Float32Array } {
  const gamma = small(backend, gammaIn);
  const beta = small(backend, betaIn);
  return at(backend, (s) => {
    const pacc1 = s.scratch(c * 4);
    const pacc2 = s.scratch(c * 4);
    const pshift = s.scratch(c * 4);
    const po1 = s.scratch(c * 8);
    const po2 = s.scratch(c * 8);
    const pa = s.scratch(c * 4);
    const pd = s.scratch(c * 4);
    const px = s.input(x);
    const py = s.output(y);
    const localRows = (x instanceof Float32Array ? x.length : x.shape.reduce((p, q) => p * q, 1)) / c;
    // The shift: the first row, a sample of every channel (rows >= 1).
    s.f32(pshift, c).set(s.f32(px, c));
    const shift = Float64Array.from(s.f32(pshift, c));
    s.k.channelMoments(px, localRows, c, pshift, pacc1, pacc2, po1, po2);
    const s1 = s.f64(po1, c);
    const s2 = s.f64(po2, c);
    // This thread's sum of x and its centred sum of squares (M2), in float64.
    const mine = new Float64Array(3 * c + 1);
    for (let i = 0; i < c; i++) {
      mine[i] = s1[i]! + localRows * shift[i]!;
      mine[c + i] = Math.max(0, s2[i]! - (s1[i]! * s1[i]!) / localRows);
      mine[2 * c + i] = (mine[i]! * mine[i]!) / localRows;
    }
    mine[3 * c] = localRows;
    // Across threads, the parallel variance formula: M2 = sum of M2_t + sum of n_t m_t^2 - N m^2.
    const all = reduce === local ? mine : reduce(mine);
    const rows = all[3 * c]!;
    const mean = Float32Array.from(all.subarray(0, c), (v) => v / rows);
    const variance = Float32Array.from({ length: c }, (_, i) => (reduce === local ? all[c + i]! : Math.max(0, all[c + i]! + all[2 * c + i]! - (all[i]! * all[i]!) / rows)) / rows);
    const rstd = Float32Array.from(variance, (v) => 1 / Math.sqrt(v + eps));
    const a = s.f32(pa, c);
    const d = s.f32(pd, c);
    for (let i = 0; i < c; i++) {
      a[i] = gamma[i]! * rstd[i]!;
      d[i] = beta[i]! - mean[i]! * a[i]!;
    }
    s.k.channelAffine(px, 0, localRows, c, pa, pa, pd, py, cap === null ? AFFINE_PLAIN : AFFINE_CLAMP, 0, cap ?? 0);
    return { mean, variance, rstd };
  });
}

/**
 * The gradient of batchNormForwardSimd: dgamma = rstd * sum(g * (x - mean)), dbeta = sum(g),
 * dx = gamma * rstd * (g - dbeta / n - (x - mean) * rstd * dgamma / n) into `dx`, where g is dy,
 * or with `act` (the forward's ReLU: its output y and cap) dy where 0 < y < cap; with `reduce`
 * the sums and n are totals over the threads of the batch.
 */
export function batchNormBackwardSimd(
  backend: KernelBackend | null, dy: TensorInfo | Float32Array, x: TensorInfo | Float32Array, c: number,
  meanIn: TensorInfo | Float32Array, rstdIn: TensorInfo | Float32Array, gammaIn: TensorInfo | Float32Array, dx: TensorInfo | Float32Array,
  reduce: BatchReduce = local, act: { y: TensorInfo | Float32Array; cap: number } | null = null,
): { dGamma: Float32Array; dBeta: Float32Array } {
  const mean = small(backend, meanIn);
  const rstd = small(backend, rstdIn);
  const gamma = small(backend, gammaIn);
  return at(backend, (s) => {
    const pmean = s.scratch(c * 4);
    const pacc1 = s.scratch(c * 4);
    const pacc2 = s.scratch(c * 4);
    const po1 = s.scratch(c * 8);
    const po2 = s.scratch(c * 8);
    const pa = s.scratch(c * 4);
    const pb = s.scratch(c * 4);
    const pd = s.scratch(c * 4);
    const pdy = s.input(dy);
    const px = s.input(x);
    const pdx = s.output(dx);
    const localRows = (x instanceof Float32Array ? x.length : x.shape.reduce((p, q) => p * q, 1)) / c;
    s.f32(pmean, c).set(mean);
    const pyAct = act ? s.input(act.y) : 0;
    s.k.channelDySums(pdy, px, localRows, c, pmean, pacc1, pacc2, po1, po2, pyAct, act?.cap ?? 0);
    const both = new Float64Array(2 * c + 1);
    both.set(s.f64(po1, c));
    both.set(s.f64(po2, c), c);
    both[2 * c] = localRows;
    // dx needs the batch's sums; dgamma and dbeta stay this thread's share (the threads' parameter gradients are added later).
    const sums = reduce(both);
    const rows = sums[2 * c]!;
    const sumDy = sums.subarray(0, c);
    const batchDGamma = Float32Array.from(sums.subarray(c, 2 * c), (v, i) => v * rstd[i]!);
    const dGamma = Float32Array.from(both.subarray(c, 2 * c), (v, i) => v * rstd[i]!);
    const dBeta = Float32Array.from(both.subarray(0, c));
    const a = s.f32(pa, c);
    const b = s.f32(pb, c);
    const d = s.f32(pd, c);
    for (let i = 0; i < c; i++) {
      a[i] = gamma[i]! * rstd[i]!;
      b[i] = (a[i]! * rstd[i]! * -batchDGamma[i]!) / rows;
      // a dy + b (x - mean) + e, with the constant terms folded: e - b mean.
      d[i] = (a[i]! * -sumDy[i]!) / rows - b[i]! * mean[i]!;
    }
    s.k.channelAffine(pdy, px, localRows, c, pa, pb, pd, pdx, act ? AFFINE_MASK : AFFINE_PLAIN, pyAct, act?.cap ?? 0);
    return { dGamma, dBeta };
  });
}

/** dx = dy where 0 < y < cap (Infinity for ReLU), else 0, into `dx`. */
export function reluGradSimd(backend: KernelBackend | null, dy: TensorInfo | Float32Array, y: TensorInfo | Float32Array, cap: number, dx: TensorInfo | Float32Array): void {
  at(backend, (s) => {
    const n = dy instanceof Float32Array ? dy.length : dy.shape.reduce((p, q) => p * q, 1);
    const pdy = s.input(dy);
    const py = s.input(y);
    const pdx = s.output(dx);
    s.k.reluGrad(pdy, py, n, cap, pdx);
  });
}
