/** The heuristic layer-wise distributions behind one entry point. */
import { erkSparsities } from './erk';
import { globalMagnitudeSparsities } from './global-magnitude';
import { shapeSize } from './global';
import { lampSparsities } from './lamp';
import { uniformSparsities } from './uniform';

/** The individual distributions, for callers that need only one. */
export { erkSparsities } from './erk';
export { globalMagnitudeSparsities } from './global-magnitude';
export { globalSparsity, shapeSize } from './global';
export { lampSparsities } from './lamp';
export { uniformSparsities } from './uniform';

/** A heuristic (non-searched) distribution. */
export type HeuristicKind = 'uniform' | 'erk' | 'global' | 'lamp';

/** One prunable kernel as the distributions see it. */
export interface DistributionLayer {
  /** Kernel shape in TF.js order. */
  shape: number[];
  /** Current kernel values, row-major; length = product of shape. */
  weights: ArrayLike<number>;
}

/** Per-layer sparsities (0..1) of a heuristic distribution at global sparsity p. */
export function heuristicSparsities(kind: HeuristicKind, layers: DistributionLayer[], p: number): number[] {
  switch (kind) {
    case 'uniform':
      return uniformSparsities(layers.map((l) => shapeSize(l.shape)), p);
    case 'erk':
      return erkSparsities(layers.map((l) => l.shape), p);
    case 'global':
      return globalMagnitudeSparsities(layers.map((l) => l.weights), p);
    case 'lamp':
      return lampSparsities(layers.map((l) => l.weights), p);
  }
}
