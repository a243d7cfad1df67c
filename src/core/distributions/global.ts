/** Global sparsity of a per-layer plan. */

/** Parameter-weighted mean of per-layer sparsities (0 when there are no parameters). */
export function globalSparsity(params: number[], sparsities: number[]): number {
  if (params.length !== sparsities.length) {
    throw new Error(`globalSparsity: ${params.length} layers but ${sparsities.length} sparsities`);
  }
  let total = 0;
  let zeros = 0;
  for (let i = 0; i < params.length; i++) {
    total += params[i]!;
    zeros += params[i]! * sparsities[i]!;
  }
  return total > 0 ? zeros / total : 0;
}

/** Number of parameters of a kernel shape. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
