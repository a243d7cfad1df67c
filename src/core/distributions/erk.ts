/**
 * Erdos-Renyi-Kernel (Evci et al., RigL 2020): layer density proportional to
 * (sum of kernel dims) / (product of kernel dims), scaled by one eps so the kept total is
 * (1 - p) * N. Layers whose density would exceed 1 become dense and eps is solved again.
 */
import { shapeSize } from './global';

/** Per-layer sparsities of ERK for kernel shapes at global sparsity p. */
export function erkSparsities(shapes: number[][], p: number): number[] {
  const sizes = shapes.map(shapeSize);
  const raw = shapes.map((s, i) => (sizes[i]! > 0 ? s.reduce((a, b) => a + b, 0) / sizes[i]! : 0));
  const total = sizes.reduce((a, b) => a + b, 0);
  const budget = Math.min(1, Math.max(0, 1 - p)) * total;
  const dense = sizes.map((n) => n === 0);
  let eps = 0;
  // Marking a layer dense only raises eps, so every other layer above 1 stays above 1:
  // marking all of them at once reaches the same fixed point as RigL's one-at-a-time loop.
  for (;;) {
    let remaining = budget;
    let weight = 0;
    for (let i = 0; i < sizes.length; i++) {
      if (dense[i]) remaining -= sizes[i]!;
      else weight += raw[i]! * sizes[i]!;
    }
    eps = weight > 0 ? Math.max(0, remaining) / weight : 0;
    let changed = false;
    for (let i = 0; i < sizes.length; i++) {
      if (!dense[i] && eps * raw[i]! > 1) {
        dense[i] = true;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return sizes.map((n, i) => (n === 0 || dense[i] ? 0 : Math.min(1, Math.max(0, 1 - eps * raw[i]!))));
}
