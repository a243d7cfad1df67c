/** Transpose: folded for constants; for image tensors only the recorded layout changes (no layer). */
import { attrInts } from '../attributes';
import { transposeData } from '../values';
import type { OpImporter } from './op';

export const transpose: OpImporter = (ctx, node) => {
  const x = ctx.input(node, 0)!;
  const rank = x.kind === 'const' ? x.dims.length : x.shape.length;
  const perm = attrInts(node, 'perm', Array.from({ length: rank }, (_, i) => rank - 1 - i));
  if (x.kind === 'const') {
    const t = transposeData(x.data, x.dims, perm);
    return [{ ...x, data: t.data, dims: t.dims }];
  }
  if (perm[0] !== 0) throw ctx.fail(node, `perm [${perm.join(', ')}] moves the batch axis.`);
  return [{ kind: 'sym', t: x.t, shape: perm.map((p) => x.shape[p]!), layout: perm.map((p) => x.layout[p]!) }];
};
