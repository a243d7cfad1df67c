/** Identity and Dropout (inference): the input passes through unchanged, no layer. */
import type { OpImporter } from './op';

export const identity: OpImporter = (ctx, node) => {
  const x = ctx.input(node, 0);
  if (!x) throw ctx.fail(node, 'has no input.');
  if (node.op_type === 'Dropout' && node.output[1]) throw ctx.fail(node, 'the dropout mask output is used; only inference graphs are supported.');
  return [x];
};
