/**
 * A quick check that this backend builds masks exactly as the host reference does: a magnitude
 * mask on a layer large enough for the GPU selection path, one small enough for its rank path,
 * ties included, and an N:M mask. Run at start on every backend, so a backend whose kernels
 * miscompute (as top-k N:M once did on WebGPU) is refused before it trains anything.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng';
import { hostMask } from '../pipeline/weights';
import { deviceMask, type MaskSpec } from './device-masks';

/** Values with ties: normals rounded to 1/16, so many magnitudes repeat. */
function tiedNormals(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => Math.round(rng.normal() * 16) / 16);
}

const CASES: { shape: number[]; spec: MaskSpec }[] = [
  { shape: [3, 3, 16, 8], spec: { kind: 'magnitude', keep: 577 } },
  { shape: [3, 3, 16, 8], spec: { kind: 'magnitude', keep: 1 } },
  { shape: [12, 20], spec: { kind: 'magnitude', keep: 61 } },
  { shape: [3, 3, 8, 4], spec: { kind: 'nm', n: 2, m: 4 } },
];

/** Null when every mask matches the host's, else what differed. */
export async function maskSelfTest(): Promise<string | null> {
  for (const [i, c] of CASES.entries()) {
    const values = tiedNormals(c.shape.reduce((a, b) => a * b, 1), 11 + i);
    const want = hostMask(values, c.shape, c.spec);
    const t = tf.tidy(() => deviceMask(tf.tensor(values, c.shape), c.spec));
    const got = await t.data();
    t.dispose();
    let wrong = 0;
    for (let j = 0; j < want.length; j++) if (got[j] !== want[j]) wrong++;
    if (wrong > 0) {
      const what = c.spec.kind === 'nm' ? `${c.spec.n}:${c.spec.m}` : `magnitude keep ${c.spec.kind === 'magnitude' ? c.spec.keep : ''}`;
      return `its ${what} mask of a [${c.shape.join(', ')}] kernel differs from the reference in ${wrong} of ${want.length} places`;
    }
  }
  return null;
}
