import type * as tf from '@tensorflow/tfjs';
import { leafLayers } from '../../src/engine/model/walk';

/** Multiply-accumulates of one forward pass of one image through the model's conv and dense layers. */
export function forwardMacs(model: tf.LayersModel): number {
  let macs = 0;
  for (const layer of leafLayers(model)) {
    const cls = layer.getClassName();
    const out = layer.outputShape as number[];
    const kernel = layer.weights.find((w) => /kernel/.test(w.originalName));
    if (!kernel) continue;
    const k = kernel.shape as number[];
    const spatial = out.slice(1, -1).reduce((a, b) => a * (b ?? 1), 1);
    if (cls === 'Dense') macs += k[0]! * k[1]!;
    else if (cls === 'DepthwiseConv2D') macs += spatial * k.reduce((a, b) => a * b, 1);
    else if (cls === 'Conv2D' || cls === 'Conv1D') macs += spatial * k.reduce((a, b) => a * b, 1);
    else if (cls === 'SeparableConv2D') {
      for (const w of layer.weights.filter((v) => /kernel/.test(v.originalName))) macs += spatial * (w.shape as number[]).reduce((a, b) => a * b, 1);
    }
  }
  return macs;
}

/** FLOPs of one training step: forward + backward (about twice the forward) at 2 FLOPs per MAC. */
export function stepFlops(model: tf.LayersModel, batch: number): number {
  return 3 * 2 * forwardMacs(model) * batch;
}
