/** Explicit NHWC padding that may be negative: crops first, since conv ops only take pads >= 0. */
import * as tf from '@tensorflow/tfjs';

/** Pads of the two spatial axes: [top, bottom, left, right]; negative values crop. */
export type SpatialPads = [number, number, number, number];

/**
 * `x` cropped by the negative entries of `pads`, and the explicit padding (all >= 0) that a conv
 * op should add to it so the result equals padding `x` by `pads`.
 */
export function fitPads(x: tf.Tensor4D, pads: SpatialPads): [tf.Tensor4D, tf.backend_util.ExplicitPadding] {
  const [t, bo, l, r] = pads;
  const pad: tf.backend_util.ExplicitPadding = [[0, 0], [Math.max(t, 0), Math.max(bo, 0)], [Math.max(l, 0), Math.max(r, 0)], [0, 0]];
  if (t >= 0 && bo >= 0 && l >= 0 && r >= 0) return [x, pad];
  const [b, h, w, c] = x.shape;
  const top = Math.max(-t, 0);
  const left = Math.max(-l, 0);
  return [tf.slice(x, [0, top, left, 0], [b, h - top - Math.max(-bo, 0), w - left - Math.max(-r, 0), c]), pad];
}

/**
 * Pads that give `x` exactly the rows and columns a window op with this geometry reads:
 * the op's own top/left padding, and whatever bottom/right makes the last window fit.
 */
export function readPads(info: tf.backend_util.Conv2DInfo): SpatialPads {
  const needH = (info.outHeight - 1) * info.strideHeight + (info.filterHeight - 1) * info.dilationHeight + 1;
  const needW = (info.outWidth - 1) * info.strideWidth + (info.filterWidth - 1) * info.dilationWidth + 1;
  const { top, left } = info.padInfo;
  return [top, needH - info.inHeight - top, left, needW - info.inWidth - left];
}
