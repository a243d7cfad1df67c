import { throwIfAborted } from '../../core/abort';
import type * as tf from '@tensorflow/tfjs';
import { gzipSync } from 'fflate';
import { layerSizes, totalSizes } from '../../core/deploy/sizes';
import type { DeploymentReport, LayerSummary } from '../../core/events';
import { checkNm } from '../../core/nm/validity';
import { latencyNote } from '../../core/deploy/latency-note';
import { measureLatencyPair } from './latency';

/** One exported kernel and whether the run made it N:M. */
export interface DeployKernel {
  summary: LayerSummary;
  weights: Float32Array;
  nm: { n: number; m: number } | null;
}

/** Timed inference runs per model for the latency figures. */
const LATENCY_RUNS = 7;

const gz = (b: ArrayBuffer) => gzipSync(new Uint8Array(b), { level: 6 }).byteLength;

/**
 * Sizes in every storage format, N:M validity per layer, and measured dense vs sparse latency
 * (their runs alternating; dense kernels do not skip zeros, so the note never sells a difference
 * as a speed-up, see core/deploy/latency-note.ts).
 */
export async function deploymentReport(args: {
  kernels: DeployKernel[];
  sparseWeightFile: ArrayBuffer;
  denseWeightFile: ArrayBuffer;
  dense: tf.LayersModel;
  sparse: tf.LayersModel;
  backend: string;
  measureLatency: boolean;
  /** Cancels between the latency measurements. */
  signal?: { aborted: boolean };
}): Promise<DeploymentReport> {
  const layers = args.kernels.map((k) => {
    const sizes = layerSizes({ name: k.summary.name, shape: k.summary.shape, weights: k.weights, ...(k.nm ? { nm: k.nm } : {}) });
    const validity = k.nm ? checkNm(k.weights, k.summary.shape, k.nm.n, k.nm.m, k.summary.name) : null;
    return {
      name: k.summary.name,
      params: sizes.params,
      nonZeros: sizes.nonZeros,
      denseFloat32: sizes.denseFloat32,
      bitmask: sizes.bitmask,
      csr: sizes.csr,
      nmPacked: sizes.nmPacked,
      nmValid: validity ? validity.valid : null,
      nmMessage: validity ? validity.message : null,
      breakdown: sizes,
    };
  });
  const gzipSparseFile = gz(args.sparseWeightFile);
  const nmLayers = layers.filter((l) => l.nmValid !== null);
  let latency: DeploymentReport['latency'] = null;
  if (args.measureLatency) {
    const shape = [1, ...(args.dense.inputs[0]!.shape.slice(1) as number[])];
    throwIfAborted(args.signal);
    const [dense, sparse] = await measureLatencyPair(args.dense, args.sparse, shape, LATENCY_RUNS, 8000, args.signal);
    throwIfAborted(args.signal);
    const speedup = dense.median / Math.max(sparse.median, 1e-9);
    const note = latencyNote(args.backend, dense, sparse);
    latency = { backend: args.backend, dense, sparse, speedup, note };
  }
  return {
    layers: layers.map(({ breakdown: _b, ...rest }) => rest),
    total: totalSizes(layers.map((l) => l.breakdown), gzipSparseFile),
    weightFileBytes: args.sparseWeightFile.byteLength,
    gzipDenseFile: gz(args.denseWeightFile),
    gzipSparseFile,
    nmValid: nmLayers.length ? nmLayers.every((l) => l.nmValid) : null,
    latency,
  };
}
