/**
 * The ReLU that directly follows a layer, for the kernels that run it inside that layer's pass
 * (the fused conv of fold-bn.ts in inference, the BN kernels of lean-training.ts in training), and
 * the one mechanism both use to skip it: the pass marks its output, the ReLU's layer passes a
 * marked tensor through.
 */
import * as tf from '@tensorflow/tfjs';

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

type LayerCall = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/** Outputs that already carry the ReLU after them. */
const applied = new WeakSet<tf.Tensor>();

/** ReLU layers whose call is the pass-through installed here. */
const passing = new WeakMap<object, LayerCall>();

/** Marks `t` as already through the ReLU after the layer that made it. */
export function markReluApplied(t: tf.Tensor): void {
  applied.add(t);
}

/** True when `t` is already through the ReLU after the layer that made it. */
export function reluApplied(t: tf.Tensor): boolean {
  return applied.has(t);
}

/**
 * A fresh handle on x's data whose gradient is dy as it is, and which saves nothing: a clone's
 * gradient is a cast, which on wasm copies every activation gradient; a reshape keeps its input
 * for its gradient, an activation more alive until the backward pass.
 */
const passThrough = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.reshape(x, x.shape), gradFunc: (dy: tf.Tensor) => tf.reshape(dy, dy.shape) };
});

/** Makes `layer` (a ReLU found by reluAfter) pass a marked tensor through as it is; idempotent. */
export function installReluPassThrough(layer: tf.layers.Layer): void {
  if (passing.has(layer)) return;
  const holder = layer as unknown as { call: LayerCall };
  const own = holder.call.bind(layer);
  holder.call = (inputs, kwargs) => {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return applied.has(x) ? passThrough(x) : own(inputs, kwargs);
  };
  passing.set(layer, holder.call);
}

/** True while `layer`'s call is the pass-through (another hook replacing it turns the fusion off). */
export function passesReluThrough(layer: tf.layers.Layer): boolean {
  return passing.get(layer) === (layer as unknown as { call: LayerCall }).call;
}
