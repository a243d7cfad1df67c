import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './index';
import { BATCH_NORM_GRAD, BATCH_NORM_TRAIN, RELU_GRAD } from './batch-norm';
import { MAGNITUDE_MASK, NM_MASK } from './magnitude-mask';
import { MASKED_UPDATE } from './masked-update';
import { normals, relativeError, valuesOn } from './wasm-grad.test-helpers';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/** One window geometry: input and filter shapes, strides, padding, dilations. */
interface Case {
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Pad;
  dilations?: number;
}

const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [1, 2], [0, 1], [0, 0]];

const CONV: Case[] = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'valid' },
  { x: [2, 10, 10, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'valid' },
  { x: [1, 10, 7, 5], filter: [5, 3, 5, 2], strides: [2, 1], pad: 'same' },
  { x: [3, 6, 6, 4], filter: [1, 1, 4, 6], strides: 1, pad: 'valid' },
  { x: [2, 7, 7, 4], filter: [1, 1, 4, 6], strides: 2, pad: 'valid' },
  { x: [2, 8, 8, 2], filter: [3, 3, 2, 3], strides: 1, pad: explicit },
  { x: [2, 8, 8, 2], filter: [3, 3, 2, 3], strides: 2, pad: 1 },
  // Strided input gradients split into phases: strides above the kernel size, uneven phases, one-sided pads.
  { x: [2, 10, 9, 3], filter: [5, 3, 3, 4], strides: 3, pad: 'same' },
  { x: [1, 11, 10, 2], filter: [2, 4, 2, 3], strides: [3, 2], pad: 'valid' },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: [[0, 0], [2, 0], [0, 3], [0, 0]] },
  // Pointwise filter gradients through the SIMD kernel (input channels a multiple of 4, output of 8): one block of rows,
  // and 450 rows in blocks of 256 (the second one partial).
  { x: [2, 5, 5, 16], filter: [1, 1, 16, 24], strides: 1, pad: 'valid' },
  { x: [2, 15, 15, 8], filter: [1, 1, 8, 16], strides: 1, pad: 'same' },
  // A pointwise filter gradient by the matMul that transposes dy (more output channels, not a multiple of 8), and one
  // by the matMul for its many input channels.
  { x: [2, 5, 5, 16], filter: [1, 1, 16, 20], strides: 1, pad: 'valid' },
  { x: [1, 3, 3, 72], filter: [1, 1, 72, 8], strides: 1, pad: 'valid' },
  // Filter gradients through the general SIMD kernel (output channels a multiple of 8): one input channel at a time
  // (3) and four (4, 8), strides, 'valid', explicit and one-sided pads, a strided 1x1.
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 8], strides: 2, pad: 'same' },
  { x: [2, 8, 8, 4], filter: [3, 3, 4, 8], strides: 1, pad: 'same' },
  { x: [1, 10, 7, 5], filter: [5, 3, 5, 16], strides: [2, 1], pad: 'valid' },
  { x: [2, 8, 8, 2], filter: [3, 3, 2, 8], strides: 2, pad: explicit },
  { x: [2, 9, 8, 8], filter: [3, 3, 8, 16], strides: 2, pad: [[0, 0], [2, 0], [0, 3], [0, 0]] },
  { x: [2, 7, 7, 4], filter: [1, 1, 4, 8], strides: 2, pad: 'valid' },
];

const DEPTHWISE: Case[] = [
  { x: [2, 9, 9, 4], filter: [3, 3, 4, 1], strides: 1, pad: 'same' },
  { x: [2, 9, 9, 4], filter: [3, 3, 4, 1], strides: 2, pad: 'same' },
  { x: [2, 8, 8, 4], filter: [3, 3, 4, 1], strides: 2, pad: 'same' },
  { x: [2, 9, 9, 4], filter: [3, 3, 4, 1], strides: 2, pad: 'valid' },
  { x: [1, 7, 7, 3], filter: [3, 3, 3, 2], strides: 1, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'same', dilations: 2 },
  { x: [2, 11, 8, 3], filter: [5, 3, 3, 2], strides: [2, 1], pad: explicit },
  { x: [1, 12, 12, 2], filter: [3, 3, 2, 1], strides: 2, pad: 'valid' },
];

function label(c: Case): string {
  return `x ${c.x.join('x')}, filter ${c.filter.join('x')}, stride ${c.strides}, pad ${JSON.stringify(c.pad)}, dilation ${c.dilations ?? 1}`;
}

/** Shape of dy for this geometry (NHWC). */
function dyShape(c: Case, depthwise: boolean): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations ?? 1, c.pad, 'floor', depthwise);
  return info.outShape as Shape4;
}

/**
 * Scalar reference for both gradients of a (depthwise) conv: visits every (image, output pixel,
 * tap) pair the forward conv multiplies and accumulates in float64. With `w` it returns dx, else dW.
 */
function reference(c: Case, depthwise: boolean, dy: Float32Array, x: Float32Array | null, w: Float32Array | null): Float32Array {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations ?? 1, c.pad, 'floor', depthwise);
  const [b, h, wd, ci] = c.x;
  const [kh, kw, , fo] = c.filter;
  const co = info.outChannels;
  const out = new Float64Array(w ? b * h * wd * ci : kh * kw * ci * fo);
  for (let n = 0; n < b; n++) {
    for (let oy = 0; oy < info.outHeight; oy++) {
      for (let ox = 0; ox < info.outWidth; ox++) {
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const y = oy * info.strideHeight + i * info.dilationHeight - info.padInfo.top;
            const xx = ox * info.strideWidth + j * info.dilationWidth - info.padInfo.left;
            if (y < 0 || y >= h || xx < 0 || xx >= wd) continue;
            for (let k = 0; k < ci; k++) {
              for (let f = 0; f < fo; f++) {
                // Depthwise: filter (i, j, k, f) feeds output channel k * M + f; regular: output channel f.
                const g = dy[((n * info.outHeight + oy) * info.outWidth + ox) * co + (depthwise ? k * fo + f : f)]!;
                const xi = ((n * h + y) * wd + xx) * ci + k;
                const wi = ((i * kw + j) * ci + k) * fo + f;
                if (w) out[xi] = out[xi]! + g * w[wi]!;
                else out[wi] = out[wi]! + g * x![xi]!;
              }
            }
          }
        }
      }
    }
  }
  return Float32Array.from(out);
}

/** Runs `kernel` on wasm (and on cpu when `cpuToo`); returns the largest relative error against `want`. */
async function check(
  kernel: string,
  inputs: Record<string, [Shape4, Float32Array]>,
  attrs: NamedAttrMap,
  want: Float32Array,
  cpuToo: boolean,
): Promise<number> {
  const run = () => {
    const ts = Object.fromEntries(Object.entries(inputs).map(([k, [s, v]]) => [k, tf.tensor4d(v, s)]));
    return tf.engine().runKernel(kernel, ts, attrs) as tf.Tensor;
  };
  const got = await valuesOn('wasm', run);
  const errs = [relativeError(want, got)];
  // cpu ignores dilations in these kernels (TF.js only differentiates undilated convs), so it is no reference there.
  if (cpuToo) errs.push(relativeError(await valuesOn('cpu', run), got));
  return Math.max(...errs);
}

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** An NHWC shape as NCHW. */
const nchw = (s: Shape4): Shape4 => [s[0], s[3], s[1], s[2]];
/** NHWC values of shape `s` in NCHW order. */
const toNchw = (v: Float32Array, s: Shape4) => tf.tidy(() => tf.transpose(tf.tensor4d(v, s), [0, 3, 1, 2]).dataSync() as Float32Array);

let registered: string[] = [];
beforeAll(async () => {
  registered = registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('registerWasmTrainingKernels', () => {
  it('fills exactly the gaps wasm 4.22 has, once', () => {
    expect(registered).toEqual([
      tf.Conv2DBackpropFilter,
      tf.DepthwiseConv2dNativeBackpropFilter,
      tf.DepthwiseConv2dNativeBackpropInput,
      tf.Conv2DBackpropInput,
      tf.Sum,
      tf.Mean,
      tf.Identity,
      tf.Slice,
      // The studio's own SIMD kernels (batch-norm.ts), under names of their own.
      BATCH_NORM_TRAIN,
      BATCH_NORM_GRAD,
      RELU_GRAD,
      MAGNITUDE_MASK,
      NM_MASK,
      MASKED_UPDATE,
    ]);
    for (const name of registered) expect(tf.getKernel(name, 'wasm')).toBeDefined();
    expect(registerWasmTrainingKernels()).toEqual([]);
  });

  it('makes Identity share memory: a clone costs no bytes and outlives its original', () => {
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const buffers = () => (tf.memory() as tf.MemoryInfo & { numDataBuffers: number }).numDataBuffers;
    const before = buffers();
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(buffers()).toBe(before);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    const z = tf.add(y, 1);
    expect(Array.from(z.dataSync())).toEqual([2, 3, 4, 5]);
    tf.dispose([y, z]);
    expect(buffers()).toBe(before - 1);
  });
});

describe('Slice on wasm (ours, in place of wasm\'s)', () => {
  // [shape, begin, size]: a pad gradient's crop, whole trailing axes, a middle run, the whole, empty, rank 1 and 5, size -1.
  const CASES: [number[], number[], number[]][] = [
    [[2, 7, 6, 5], [0, 1, 1, 0], [2, 5, 4, 5]],
    [[3, 4, 5, 6], [1, 0, 0, 0], [2, 4, 5, 6]],
    [[3, 4, 5, 6], [0, 1, 2, 3], [3, 2, 2, 2]],
    [[3, 4, 5, 6], [0, 0, 0, 0], [3, 4, 5, 6]],
    [[3, 4, 5, 6], [1, 1, 1, 1], [0, 2, 2, 2]],
    [[11], [3], [5]],
    [[2, 3, 2, 3, 4], [1, 0, 1, 1, 0], [1, 3, 1, 2, 4]],
    [[4, 6], [1, 2], [-1, 3]],
  ];
  it.each(CASES.map((c) => [JSON.stringify(c), c] as const))('%s matches cpu in float32, int32 and bool', async (_, [shape, begin, sz]) => {
    const n = shape.reduce((p, q) => p * q, 1);
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const values = Array.from({ length: n }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : dtype === 'int32' ? i - 7 : i * 0.5 - 3));
      const run = () => {
        const x = tf.tensor(values as number[], shape, dtype);
        const y = tf.slice(x, begin, sz);
        const out = { shape: y.shape, values: Array.from(y.dataSync()) };
        tf.dispose([x, y]);
        return out;
      };
      const mine = run();
      await tf.setBackend('cpu');
      const theirs = run();
      await tf.setBackend('wasm');
      expect(mine, dtype).toEqual(theirs);
    }
  });

  it('takes a string tensor to wasm\'s own kernel', () => {
    const y = tf.slice(tf.tensor(['a', 'b', 'c', 'd'], [2, 2]), [1, 0], [1, 2]);
    expect(y.arraySync()).toEqual([['c', 'd']]);
    y.dispose();
  });
});

describe('Conv2DBackpropFilter on wasm matches a scalar reference and cpu', () => {
  it.each(CONV.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const dy = dyShape(c, false);
    const [xv, dyv] = [normals(size(c.x), 1), normals(size(dy), 2)];
    const err = await check(
      tf.Conv2DBackpropFilter,
      { x: [c.x, xv], dy: [dy, dyv] },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: 'floor', filterShape: c.filter },
      reference(c, false, dyv, xv, null),
      true,
    );
    expect(err).toBeLessThan(1e-5);
  });

  it('handles NCHW', async () => {
    const c = CONV[1]!;
    const dy = dyShape(c, false);
    const [xv, dyv] = [normals(size(c.x), 3), normals(size(dy), 4)];
    const err = await check(
      tf.Conv2DBackpropFilter,
      { x: [nchw(c.x), toNchw(xv, c.x)], dy: [nchw(dy), toNchw(dyv, dy)] },
      { strides: c.strides, pad: c.pad, dataFormat: 'NCHW', filterShape: c.filter },
      reference(c, false, dyv, xv, null),
      true,
    );
    expect(err).toBeLessThan(1e-5);
  });
});

describe('DepthwiseConv2dNativeBackpropFilter on wasm matches a scalar reference and cpu', () => {
  it.each(DEPTHWISE.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const dy = dyShape(c, true);
    const [xv, dyv] = [normals(size(c.x), 5), normals(size(dy), 6)];
    const err = await check(
      tf.DepthwiseConv2dNativeBackpropFilter,
      { x: [c.x, xv], dy: [dy, dyv] },
      { strides: c.strides, pad: c.pad, dilations: c.dilations ?? 1, dimRoundingMode: 'floor', filterShape: c.filter },
      reference(c, true, dyv, xv, null),
      (c.dilations ?? 1) === 1,
    );
    expect(err).toBeLessThan(1e-5);
  });
});

describe('DepthwiseConv2dNativeBackpropInput on wasm matches a scalar reference and cpu', () => {
  it.each(DEPTHWISE.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const dy = dyShape(c, true);
    const [dyv, wv] = [normals(size(dy), 7), normals(size(c.filter), 8)];
    const err = await check(
      tf.DepthwiseConv2dNativeBackpropInput,
      { dy: [dy, dyv], filter: [c.filter, wv] },
      { strides: c.strides, pad: c.pad, dilations: c.dilations ?? 1, dimRoundingMode: 'floor', inputShape: c.x },
      reference(c, true, dyv, null, wv),
      (c.dilations ?? 1) === 1,
    );
    expect(err).toBeLessThan(1e-5);
  });
});

describe('Conv2DBackpropInput on wasm (ours, in place of wasm\'s) matches a scalar reference and cpu', () => {
  it.each(CONV.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const dy = dyShape(c, false);
    const [dyv, wv] = [normals(size(dy), 9), normals(size(c.filter), 10)];
    const err = await check(
      tf.Conv2DBackpropInput,
      { dy: [dy, dyv], filter: [c.filter, wv] },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: 'floor', inputShape: c.x },
      reference(c, false, dyv, null, wv),
      true,
    );
    expect(err).toBeLessThan(1e-5);
  });

  it('handles NCHW', async () => {
    const c = CONV[1]!;
    const dy = dyShape(c, false);
    const [dyv, wv] = [normals(size(dy), 11), normals(size(c.filter), 12)];
    const want = reference(c, false, dyv, null, wv);
    const err = await check(
      tf.Conv2DBackpropInput,
      { dy: [nchw(dy), toNchw(dyv, dy)], filter: [c.filter, wv] },
      { strides: c.strides, pad: c.pad, dataFormat: 'NCHW', inputShape: nchw(c.x) },
      toNchw(want, c.x),
      true,
    );
    expect(err).toBeLessThan(1e-5);
  });
});

describe('Sum and Mean on wasm (ours over the leading axes, wasm\'s otherwise) match cpu', () => {
  const cases: [number[], number | number[], boolean][] = [
    [[4, 5, 6, 3], [0, 1, 2], false],
    [[4, 5, 6, 3], [2, 0, 1], true],
    [[4, 5, 6, 3], [-4, -3, -2], false],
    [[7, 3], 0, false],
    [[4, 5, 6, 3], [1, 2], false],
    [[4, 5, 6, 3], 3, true],
  ];
  it.each(cases.map((c) => [`shape ${c[0].join('x')}, axis ${JSON.stringify(c[1])}, keepDims ${c[2]}`, c] as const))('%s', async (_, [shape, axis, keepDims]) => {
    const v = normals(size(shape), 13);
    for (const op of [tf.sum, tf.mean]) {
      const run = () => op(tf.tensor(v, shape), axis, keepDims);
      const [want, got] = [await valuesOn('cpu', run), await valuesOn('wasm', run)];
      expect(relativeError(want, got)).toBeLessThan(1e-5);
      const shapeOn = async (b: 'cpu' | 'wasm') => {
        await tf.setBackend(b);
        const t = tf.tidy(run);
        t.dispose();
        return t.shape;
      };
      expect(await shapeOn('wasm')).toEqual(await shapeOn('cpu'));
    }
  });
});
