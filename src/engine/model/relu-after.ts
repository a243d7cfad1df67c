/** The ReLU that directly follows a layer, for the kernels that run it inside that layer's pass. */
import type * as tf from '@tensorflow/tfjs';

/** A ReLU (no cap) or ReLU6. */
export type ReluKind = 'relu' | 'relu6';

/**
 * The ReLU or ReLU6 that is `layer`'s only consumer, called once (an Activation layer with relu
 * or relu6, or a ReLU layer without a cap or capped at 6), or null: only then may the layer's
 * pass apply it and the activation layer pass its input through.
 */
export function reluAfter(layer: tf.layers.Layer): { layer: tf.layers.Layer; activation: ReluKind } | null {
  if (layer.outboundNodes.length !== 1) return null;
  const next = layer.outboundNodes[0]!.outboundLayer;
  if (next.inboundNodes.length !== 1) return null;
  const cls = next.getClassName();
  if (cls === 'Activation') {
    const name = (next as unknown as { activation?: { getClassName(): string } | null }).activation?.getClassName();
    return name === 'relu' || name === 'relu6' ? { layer: next, activation: name } : null;
  }
  if (cls === 'ReLU') {
    const cap = (next as unknown as { maxValue?: number | null }).maxValue;
    if (cap == null) return { layer: next, activation: 'relu' };
    return cap === 6 ? { layer: next, activation: 'relu6' } : null;
  }
  return null;
}
