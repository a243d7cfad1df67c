/** Uniform distribution: every layer at the global target. */

/** Every layer gets sparsity p. */
export function uniformSparsities(params: number[], p: number): number[] {
  return params.map(() => p);
}
