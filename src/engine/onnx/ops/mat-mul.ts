/** MatMul of an image-derived tensor by a constant [K, N] -> a Dense layer without bias. */
import * as tf from '@tensorflow/tfjs';
import { plain } from '../values';
import { f32, type OpImporter } from './op';
import { foldBinary } from './fold-math';

export const matMul: OpImporter = (ctx, node) => {
  const av = ctx.input(node, 0);
  const bv = ctx.input(node, 1);
  if (av?.kind === 'const' && bv?.kind === 'const') return [foldBinary(ctx, node, av, bv, 'matmul')];
  const b = ctx.constInput(node, 1, 'right-hand matrix');
  const x = ctx.symInput(node, 0);
  const a = ctx.toLayout(node, x, plain(x.shape.length));
  if (b.dims.length !== 2 || b.dims[0] !== a.shape[a.shape.length - 1]) {
    throw ctx.fail(node, `multiplies [${a.shape.slice(1).join(', ')}] by [${b.dims.join(', ')}]; only a constant [features, outputs] matrix is supported.`);
  }
  const n = b.dims[1]!;
  const name = ctx.layerName(node);
  ctx.bind(node, 1, `${name}/kernel`, b.dims, { kind: 'dense', transposed: false, scale: 1 });
  const layer = tf.layers.dense({ units: n, useBias: false, name, kernelInitializer: 'zeros' });
  const t = ctx.apply(layer, a.t, [tf.tensor2d(f32(b.data), [b.dims[0]!, n])]);
  return [{ kind: 'sym', t, shape: [...a.shape.slice(0, -1), n], layout: plain(a.shape.length) }];
};
