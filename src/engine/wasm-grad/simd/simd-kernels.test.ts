import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../node/assets.test-helpers';
import { normals } from '../wasm-grad.test-helpers';
import { setupNodeBackend } from '../../../node/backend';
import { batchNormBackwardSimd, batchNormForwardSimd, depthwiseFilterGradSimd, pointwiseFilterGradSimd, simdAvailable, simdOnHeap, simdPointwiseApplies } from './simd-kernels';

/** Float64 scalar dW of a depthwise conv (multiplier 1), visiting every multiply the forward conv makes. */
function reference(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float64Array {
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, filterHeight: kh, filterWidth: kw } = info;
  const out = new Float64Array(kh * kw * c);
  for (let n = 0; n < nb; n++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const y = oy * info.strideHeight + i * info.dilationHeight - info.padInfo.top;
            const xx = ox * info.strideWidth + j * info.dilationWidth - info.padInfo.left;
            if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
            for (let k = 0; k < c; k++) out[(i * kw + j) * c + k]! += x[((n * h + y) * w + xx) * c + k]! * dy[((n * oh + oy) * ow + ox) * c + k]!;
          }
  return out;
}

describe('the SIMD kernels (kernels.wat)', () => {
  it('are what kernels.wat compiles to (scripts/wasm/build-kernels.mjs --check)', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/wasm/build-kernels.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('run here (Node has WebAssembly SIMD), so the wasm kernel tests exercise them', () => {
    expect(simdAvailable()).toBe(true);
  });

  // Channel counts with and without a remainder of 4, strides, dilation, 'valid' and one-sided pads.
  const cases: [number[], number[], number | [number, number], 'same' | 'valid' | number, number][] = [
    [[2, 9, 9, 8], [3, 3, 8, 1], 1, 'same', 1],
    [[2, 9, 9, 6], [3, 3, 6, 1], 2, 'same', 1],
    [[3, 8, 7, 5], [3, 3, 5, 1], [2, 1], 'valid', 1],
    [[1, 12, 12, 4], [3, 3, 4, 1], 1, 'same', 2],
    [[2, 10, 10, 3], [5, 3, 3, 1], 3, 1, 1],
  ];
  for (const [xs, fs, strides, pad, dil] of cases) {
    it(`dW of x ${xs.join('x')}, filter ${fs.join('x')}, stride ${strides}, pad ${pad}, dilation ${dil} matches a float64 reference`, () => {
      const info = tf.backend_util.computeConv2DInfo(xs as [number, number, number, number], fs as [number, number, number, number], strides, dil, pad, 'floor', true);
      const x = normals(xs.reduce((a, b) => a * b), 1);
      const dy = normals(info.outShape.reduce((a, b) => a * b), 2);
      const got = new Float32Array(fs[0]! * fs[1]! * fs[2]!);
      depthwiseFilterGradSimd(null, x, dy, info, got);
      const want = reference(x, dy, info);
      expect(got.length).toBe(want.length);
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
      expect(worst).toBeLessThan(1e-5);
    });
  }

  // One block; several blocks with a partial last one; wide channels (blocks of 16 rows).
  for (const [rows, ci, co] of [[37, 4, 8], [1000, 8, 16], [300, 256, 512]] as const) {
    it(`the pointwise dW of ${rows} rows, ${ci} -> ${co} channels matches a float64 reference`, () => {
      expect(simdPointwiseApplies(ci, co)).toBe(true);
      const x = normals(rows * ci, 5);
      const dy = normals(rows * co, 6);
      const got = new Float32Array(ci * co);
      pointwiseFilterGradSimd(null, x, dy, rows, ci, co, got);
      let worst = 0;
      for (let a = 0; a < ci; a++)
        for (let b = 0; b < co; b++) {
          let want = 0;
          let magnitude = 0;
          for (let r = 0; r < rows; r++) {
            want += x[r * ci + a]! * dy[r * co + b]!;
            magnitude += Math.abs(x[r * ci + a]! * dy[r * co + b]!);
          }
          // Float32 sums of up to 256 terms: the error scales with the summed magnitudes (a wrong term is ~1e-3 of them).
          worst = Math.max(worst, Math.abs(got[a * co + b]! - want) / magnitude);
        }
      expect(worst).toBeLessThan(1e-6);
    });
  }

  // Training-mode BN in float64, then the activation: y = act((x - mean) rstd gamma + beta); the
  // gradient at act's output dz: g = dz where 0 < y < cap, dgamma = rstd sum(g xc), dbeta = sum(g),
  // dx = gamma rstd (g - dbeta / n - xc rstd dgamma / n).
  for (const cap of [null, Infinity, 6]) {
    it(`BatchNorm forward and backward${cap === null ? '' : cap === 6 ? ' with ReLU6' : ' with ReLU'} match a float64 reference, a channel far from zero included`, () => {
      const rows = 700;
      const c = 8;
      const x = normals(rows * c, 21);
      // Channel 3 sits at 50 with spread 0.05: a one-pass sum of squares about zero would lose its
      // variance entirely in float32 (the ulp of 50^2 is 10 times the variance).
      for (let r = 0; r < rows; r++) x[r * c + 3] = 50 + 0.05 * x[r * c + 3]!;
      const gamma = Float32Array.from({ length: c }, (_, i) => 0.5 + i * 0.3);
      const beta = Float32Array.from({ length: c }, (_, i) => i - 3);
      const eps = 1e-3;
      const y = new Float32Array(rows * c);
      const got = batchNormForwardSimd(null, x, c, gamma, beta, eps, y, undefined, cap);
      const dz = normals(rows * c, 22);
      const dx = new Float32Array(rows * c);
      const grads = batchNormBackwardSimd(null, dz, x, c, got.mean, got.rstd, gamma, dx, undefined, cap === null ? null : { y, cap });
      for (let k = 0; k < c; k++) {
        let m = 0;
        for (let r = 0; r < rows; r++) m += x[r * c + k]!;
        m /= rows;
        let v = 0;
        for (let r = 0; r < rows; r++) v += (x[r * c + k]! - m) ** 2;
        v /= rows;
        const rstd = 1 / Math.sqrt(v + eps);
        expect(Math.abs(got.mean[k]! - m)).toBeLessThan(1e-6 * (1 + Math.abs(m)));
        expect(Math.abs(got.variance[k]! - v)).toBeLessThan(1e-4 * v + 1e-9);
        let sg = 0;
        let sgx = 0;
        const g = new Float64Array(rows);
        for (let r = 0; r < rows; r++) {
          const pre = (x[r * c + k]! - m) * rstd * gamma[k]! + beta[k]!;
          const want = cap === null ? pre : Math.min(Math.max(pre, 0), cap);
          expect(Math.abs(y[r * c + k]! - want)).toBeLessThan(1e-3 * (1 + Math.abs(want)));
          g[r] = cap === null || (want > 0 && want < cap) ? dz[r * c + k]! : 0;
          sg += g[r]!;
          sgx += g[r]! * (x[r * c + k]! - m);
        }
        const dGamma = sgx * rstd;
        expect(Math.abs(grads.dGamma[k]! - dGamma)).toBeLessThan(1e-3 * (1 + Math.abs(dGamma)));
        expect(Math.abs(grads.dBeta[k]! - sg)).toBeLessThan(1e-3 * (1 + Math.abs(sg)));
        for (let r = 0; r < rows; r++) {
          const want = gamma[k]! * rstd * (g[r]! - sg / rows - ((x[r * c + k]! - m) * rstd * dGamma) / rows);
          expect(Math.abs(dx[r * c + k]! - want)).toBeLessThan(2e-3 * (1 + Math.abs(want)));
        }
      }
      // Some outputs are cut at 0 and, with ReLU6, some at 6: the masks are exercised.
      if (cap !== null) expect(y.some((v) => v === 0)).toBe(true);
      if (cap === 6) expect(y.some((v) => v === 6)).toBe(true);
    });
  }

  it('leave channel counts they do not tile to the matMul form', () => {
    expect(simdPointwiseApplies(6, 8)).toBe(false);
    expect(simdPointwiseApplies(8, 12)).toBe(false);
  });

  it('run on the wasm heap in place, with the results of the copying instance', async () => {
    await setupNodeBackend('wasm');
    try {
      expect(simdOnHeap(tf.backend())).toBe(true);
      const xs: [number, number, number, number] = [2, 9, 9, 8];
      const info = tf.backend_util.computeConv2DInfo(xs, [3, 3, 8, 1], 2, 1, 'same', 'floor', true);
      const xv = normals(2 * 9 * 9 * 8, 3);
      const dyv = normals(info.outShape.reduce((a, b) => a * b), 4);
      const copied = new Float32Array(72);
      depthwiseFilterGradSimd(null, xv, dyv, info, copied);
      const x = tf.tensor4d(xv, xs);
      const dy = tf.tensor4d(dyv, info.outShape as [number, number, number, number]);
      const inPlace = tf.tidy(() => tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { strides: 2, pad: 'same', filterShape: [3, 3, 8, 1], dilations: 1 }) as tf.Tensor);
      expect(Array.from(inPlace.dataSync())).toEqual(Array.from(copied));
      tf.dispose([x, dy, inPlace]);
      // The pointwise kernel likewise, through the Conv2DBackpropFilter kernel.
      const pxv = normals(2 * 7 * 7 * 8, 7);
      const pdyv = normals(2 * 7 * 7 * 16, 8);
      const pCopied = new Float32Array(8 * 16);
      pointwiseFilterGradSimd(null, pxv, pdyv, 98, 8, 16, pCopied);
      const px = tf.tensor4d(pxv, [2, 7, 7, 8]);
      const pdy = tf.tensor4d(pdyv, [2, 7, 7, 16]);
      const pInPlace = tf.tidy(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: px, dy: pdy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [1, 1, 8, 16] }) as tf.Tensor);
      expect(Array.from(pInPlace.dataSync())).toEqual(Array.from(pCopied));
      tf.dispose([px, pdy, pInPlace]);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
