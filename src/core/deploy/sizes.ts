/**
 * Deployment size arithmetic: how many bytes a pruned kernel takes in each storage format.
 * Sizes are payload bytes (no file headers or alignment padding); gzip sizes come from the
 * caller because core has no compressor.
 *
 * - dense float32: 4 B per weight.
 * - bitmask: 1 bit per weight rounded up to whole bytes, plus 4 B per non-zero float32.
 * - CSR: the kernel viewed as a matrix with one row per output index (the last axis) and one
 *   column per remaining (spatial, input) position, i.e. [out, prod(shape) / out], the layout a
 *   sparse GEMM over output channels wants. Values float32 (4 B each), column indices in the
 *   smallest unsigned type that holds every column (uint8 up to 256 columns, uint16 up to
 *   65,536, else uint32), row pointers int32 (rows + 1 of them). A kernel with fewer than 2
 *   axes is one row.
 * - N:M packed: per group, N float32 values and N positions of ceil(log2 M) bits each,
 *   bit-packed over the whole layer: groups * N * 4 + ceil(groups * N * bits / 8) bytes
 *   (docs/nm-packed-format.md).
 */
import { checkNm } from '../nm/validity';
import { indexBits, nmGeometry, shapeSize } from '../nm/groups';

/** One kernel to size. */
export interface LayerSizeInput {
  /** Layer name, for reports. */
  name: string;
  /** Kernel shape in TF.js order. */
  shape: number[];
  /** Flat row-major weights; exact zeros count as pruned. */
  weights: ArrayLike<number>;
  /** N:M applies to this layer. */
  nm?: { n: number; m: number };
}

/** Bytes of one kernel in each format. */
export interface SizeBreakdown {
  /** Dense float32: 4 B per weight. */
  denseFloat32: number;
  /** 1 bit per weight rounded up to bytes + 4 bytes per non-zero float32. */
  bitmask: number;
  /** CSR over [out, rest]: float32 values, smallest-fitting column indices, int32 row pointers. */
  csr: number;
  /** N:M packed payload; null without nm, when the kernel does not fit M, or when a group breaks N:M. */
  nmPacked: number | null;
  /** Weights in the kernel. */
  params: number;
  /** Weights that are not exactly zero. */
  nonZeros: number;
}

/** Bytes per CSR column index: 1, 2 or 4, the smallest unsigned type that holds cols - 1. */
export function csrIndexBytes(cols: number): 1 | 2 | 4 {
  if (cols <= 2 ** 8) return 1;
  if (cols <= 2 ** 16) return 2;
  return 4;
}

/** CSR bytes of a kernel of this shape with this many non-zeros (see the file comment). */
export function csrBytes(shape: readonly number[], nonZeros: number): number {
  const params = shapeSize(shape);
  const rows = shape.length >= 2 ? (shape[shape.length - 1] ?? 0) : 1;
  const cols = rows > 0 ? params / rows : 0;
  return nonZeros * (4 + csrIndexBytes(cols)) + 4 * (rows + 1);
}

/** N:M packed payload bytes of a kernel of this shape, or null when its input axis does not fit M. */
export function nmPackedBytes(shape: readonly number[], n: number, m: number): number | null {
  const geom = nmGeometry(shape, m);
  if (!geom.fits) return null;
  const slots = geom.groups * n;
  return slots * 4 + Math.ceil((slots * indexBits(m)) / 8);
}

/** Sizes of one kernel in every deployment format. */
export function layerSizes(layer: LayerSizeInput): SizeBreakdown {
  const params = shapeSize(layer.shape);
  if (layer.weights.length !== params) {
    throw new RangeError(`layerSizes: ${layer.name} has ${layer.weights.length} weights for shape [${layer.shape.join(', ')}]`);
  }
  let nonZeros = 0;
  for (let i = 0; i < params; i++) if (layer.weights[i] !== 0) nonZeros++;
  let nmPacked: number | null = null;
  if (layer.nm !== undefined) {
    const { n, m } = layer.nm;
    // A group with more than N non-zeros cannot be packed without losing weights.
    if (checkNm(layer.weights, layer.shape, n, m).valid) nmPacked = nmPackedBytes(layer.shape, n, m);
  }
  return {
    denseFloat32: 4 * params,
    bitmask: Math.ceil(params / 8) + 4 * nonZeros,
    csr: csrBytes(layer.shape, nonZeros),
    nmPacked,
    params,
    nonZeros,
  };
}

/** Each format's bytes as a fraction of dense float32 (0.25 = a quarter of the dense size). */
export interface SizeRatios {
  /** bitmask / dense. */
  bitmask: number;
  /** csr / dense. */
  csr: number;
  /** nmPacked / dense, null when nmPacked is null. */
  nmPacked: number | null;
  /** gzip / dense, null when no gzip size was given. */
  gzip: number | null;
}

/** Sizes of a whole model. */
export interface TotalSizes {
  /** Sum of dense float32 bytes. */
  denseFloat32: number;
  /** Sum of bitmask bytes. */
  bitmask: number;
  /** Sum of CSR bytes. */
  csr: number;
  /** N:M-packed layers packed plus every other layer as dense float32; null when no layer packs. */
  nmPacked: number | null;
  /** Layers counted as N:M packed. */
  nmLayers: number;
  /** The caller's gzip size of the exported weights, when given. */
  gzip: number | null;
  /** Sum of weights. */
  params: number;
  /** Sum of non-zeros. */
  nonZeros: number;
  /** 1 - nonZeros / params (0 for an empty model). */
  sparsity: number;
  /** Every format relative to dense float32. */
  ratios: SizeRatios;
}

/** Sums per-layer sizes and relates each format to dense float32. */
export function totalSizes(layers: SizeBreakdown[], gzipBytes?: number): TotalSizes {
  let denseFloat32 = 0;
  let bitmask = 0;
  let csr = 0;
  let packed = 0;
  let nmLayers = 0;
  let params = 0;
  let nonZeros = 0;
  for (const layer of layers) {
    denseFloat32 += layer.denseFloat32;
    bitmask += layer.bitmask;
    csr += layer.csr;
    params += layer.params;
    nonZeros += layer.nonZeros;
    if (layer.nmPacked === null) {
      packed += layer.denseFloat32;
    } else {
      packed += layer.nmPacked;
      nmLayers++;
    }
  }
  const nmPacked = nmLayers > 0 ? packed : null;
  const gzip = gzipBytes ?? null;
  const ratio = (bytes: number): number => (denseFloat32 > 0 ? bytes / denseFloat32 : 0);
  return {
    denseFloat32,
    bitmask,
    csr,
    nmPacked,
    nmLayers,
    gzip,
    params,
    nonZeros,
    sparsity: params > 0 ? 1 - nonZeros / params : 0,
    ratios: {
      bitmask: ratio(bitmask),
      csr: ratio(csr),
      nmPacked: nmPacked === null ? null : ratio(nmPacked),
      gzip: gzip === null ? null : ratio(gzip),
    },
  };
}
