/**
 * Logits from a model that may end in softmax, without changing the saved model: the softmax
 * site is found by walking back from the output through shape-only layers, and is replaced by
 * the identity only while logits() runs (model.apply is synchronous, so nothing else sees it).
 */
import * as tf from '@tensorflow/tfjs';
import { installBnFolding } from './fold-bn';

/** Layers that only move values around, so a softmax before them still ends the model. */
const SHAPE_ONLY = new Set(['Reshape', 'Flatten', 'Dropout', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'SpatialDropout1D', 'SpatialDropout2D']);

interface WithActivation {
  activation?: { getClassName(): string; apply(x: tf.Tensor, axis?: number): tf.Tensor } | null;
}

/** Where the softmax sits: in a layer's activation, or as a Softmax layer. */
export interface SoftmaxSite {
  layer: tf.layers.Layer;
  how: 'activation' | 'softmax-layer';
}

/** The activation name of a layer with an `activation` field, else null. */
export function activationName(layer: tf.layers.Layer): string | null {
  const act = (layer as unknown as WithActivation).activation;
  return act && typeof act.getClassName === 'function' ? act.getClassName() : null;
}

/** The softmax that ends `model`, or null when its output is already scores. */
export function findSoftmaxSite(model: tf.LayersModel): SoftmaxSite | null {
  let t: tf.SymbolicTensor | undefined = model.outputs[0];
  for (let guard = 0; t && guard < 10_000; guard++) {
    const layer: tf.layers.Layer = t.sourceLayer;
    if (layer instanceof tf.LayersModel) {
      t = layer.outputs[0];
      continue;
    }
    const cls = layer.getClassName();
    if (cls === 'Softmax') return { layer, how: 'softmax-layer' };
    const act = activationName(layer);
    if (act === 'softmax') return { layer, how: 'activation' };
    const passThrough = SHAPE_ONLY.has(cls) || (cls === 'Activation' && act === 'linear');
    if (!passThrough) return null;
    const node = layer.inboundNodes[t.nodeIndex];
    const inputs = node?.inputTensors ?? [];
    if (inputs.length !== 1) return null;
    t = inputs[0];
  }
  return null;
}

/** A function from inputs to logits [batch, C], and whether a softmax was stripped to get them. */
export function makeLogitsFn(model: tf.LayersModel): {
  logits: (x: tf.Tensor, training: boolean) => tf.Tensor2D;
  strippedSoftmax: boolean;
} {
  // Inference with BN folded into the convs, training with the lean layers (same values).
  installBnFolding(model);
  const site = findSoftmaxSite(model);
  const outShape = model.outputs[0]?.shape ?? [];
  const classes = outShape[outShape.length - 1] ?? -1;
  const linear = (tf.layers.activation({ activation: 'linear' }) as unknown as WithActivation).activation;
  const run = (x: tf.Tensor, training: boolean): tf.Tensor2D =>
    tf.tidy(() => {
      const y = model.apply(x, { training }) as tf.Tensor;
      return tf.reshape(y, [y.shape[0] ?? -1, classes]) as tf.Tensor2D;
    });
  if (!site) return { logits: run, strippedSoftmax: false };
  const logits = (x: tf.Tensor, training: boolean): tf.Tensor2D => {
    const target = site.layer as unknown as WithActivation & { call: tf.layers.Layer['call'] };
    if (site.how === 'activation') {
      const saved = target.activation;
      target.activation = linear;
      try {
        return run(x, training);
      } finally {
        target.activation = saved;
      }
    }
    const ownCall = Object.prototype.hasOwnProperty.call(target, 'call');
    const savedCall = target.call;
    target.call = (inputs) => (Array.isArray(inputs) ? inputs[0]! : inputs);
    try {
      return run(x, training);
    } finally {
      if (ownCall) target.call = savedCall;
      else delete (target as { call?: unknown }).call;
    }
  };
  return { logits, strippedSoftmax: true };
}
