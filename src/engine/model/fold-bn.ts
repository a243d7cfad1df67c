/**
 * BatchNorm folded into the convolution before it, for inference: a Conv2D or DepthwiseConv2D
 * whose only consumer is a BatchNormalization layer runs as one fused conv with the BN's scale
 * folded into its kernel and its shift into the bias, and the BN passes the result through. On
 * wasm the BN was a FusedBatchNorm pass as slow as the conv itself (MobileNet v1 0.25 at batch
 * 32: 205 ms of 614). A ReLU or ReLU6 that is the BN's only consumer runs inside the fused conv
 * too (XNNPACK clamps its output as it writes it) and its layer passes the result through:
 * MobileNet's forward pass in 0.88x the time. Values are the unfolded model's up to float
 * rounding (fold-bn.test.ts).
 *
 * The fold is read from the layers' current weights at every call, so BN re-estimation and
 * training are seen at once; training calls, and any call while another hook (BN re-estimation)
 * has replaced the BN layer's call, run the layers as they are. The saved model is unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { installLeanTraining } from '../train/lean-training';
import type { BnInternals } from './bn-internals';
import { leafLayers } from './kernels';
import { installReluPassThrough, markReluApplied, passesReluThrough, reluAfter, reluApplied, type ReluKind } from './relu-after';

interface ConvLayer {
  kernel?: tf.LayerVariable;
  depthwiseKernel?: tf.LayerVariable;
  bias?: tf.LayerVariable | null;
  useBias: boolean;
  strides: [number, number];
  padding: string;
  dataFormat: string;
  dilationRate: [number, number];
  activation?: { getClassName(): string } | null;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
}

/** Conv outputs that already carry their BN: the BN layer passes these through. */
const folded = new WeakSet<tf.Tensor>();

/** BN layers whose call is the one installed here (another hook replacing it turns the fold off). */
const foldedCall = new WeakMap<object, BnInternals['call']>();

const installed = new WeakSet<object>();

function onlyConsumerIsBn(layer: tf.layers.Layer): tf.layers.Layer | null {
  if (layer.inboundNodes.length !== 1 || layer.outboundNodes.length !== 1) return null;
  const next = layer.outboundNodes[0]!.outboundLayer;
  if (next.getClassName() !== 'BatchNormalization' || next.inboundNodes.length !== 1) return null;
  const bn = next as unknown as BnInternals;
  // Channels-last only: the BN's axis is the conv's output channel axis.
  if (bn.axis !== -1 && bn.axis !== 3) return null;
  return next;
}

function foldable(layer: tf.layers.Layer): boolean {
  const cls = layer.getClassName();
  if (cls !== 'Conv2D' && cls !== 'DepthwiseConv2D') return false;
  const conv = layer as unknown as ConvLayer;
  const act = conv.activation?.getClassName() ?? 'linear';
  return act === 'linear' && conv.dataFormat === 'channelsLast' && (conv.padding === 'same' || conv.padding === 'valid');
}

/** The fused conv of `conv` with `bn` folded in, on input x, then `activation` if given. */
function foldedConv(layer: tf.layers.Layer, conv: ConvLayer, bn: BnInternals, x: tf.Tensor4D, activation: ReluKind | undefined): tf.Tensor4D {
  return tf.tidy(() => {
    const variance = bn.movingVariance.read();
    const scale = tf.mul(tf.rsqrt(tf.add(variance, bn.epsilon)), bn.gamma ? bn.gamma.read() : 1);
    const shift = tf.sub(bn.beta ? bn.beta.read() : 0, tf.mul(bn.movingMean.read(), scale));
    const bias = conv.useBias && conv.bias ? tf.add(tf.mul(conv.bias.read(), scale), shift) : shift;
    const pad = conv.padding as 'same' | 'valid';
    if (layer.getClassName() === 'Conv2D') {
      const kernel = tf.mul(conv.kernel!.read(), scale) as tf.Tensor4D;
      return tf.fused.conv2d({ x, filter: kernel, strides: conv.strides, pad, dataFormat: 'NHWC', dilations: conv.dilationRate, bias, activation });
    }
    // Depthwise kernel [kh, kw, c, m]: output channel c * m + j takes scale[c * m + j].
    const dk = conv.depthwiseKernel!.read();
    const [, , c, m] = dk.shape as [number, number, number, number];
    const kernel = tf.mul(dk, tf.reshape(scale, [c, m])) as tf.Tensor4D;
    // As the layer itself: tfjs-layers' DepthwiseConv2D runs without dilation.
    return tf.fused.depthwiseConv2d({ x, filter: kernel, strides: conv.strides, pad, dataFormat: 'NHWC', dilations: 1, bias, activation });
  });
}

/**
 * Installs the fold on every conv -> BN pair of `model` (nested models included) that allows it,
 * after the lean training layers (lean-training.ts), whose BN call it wraps; idempotent.
 */
export function installBnFolding(model: tf.LayersModel): void {
  installLeanTraining(model);
  for (const layer of leafLayers(model)) {
    if (installed.has(layer) || !foldable(layer)) continue;
    const next = onlyConsumerIsBn(layer);
    if (!next) continue;
    installed.add(layer);
    const conv = layer as unknown as ConvLayer;
    const bn = next as unknown as BnInternals;
    const ownConv = conv.call.bind(conv);
    const ownBn = bn.call.bind(bn);
    const bnCall: BnInternals['call'] = (inputs, kwargs) => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      if (kwargs?.['training'] || !folded.has(x)) return ownBn(inputs, kwargs);
      // A fresh handle on the same data (TF.js's Identity shares the buffer), still marked through its ReLU if x was.
      const y = tf.clone(x);
      if (reluApplied(x)) markReluApplied(y);
      return y;
    };
    bn.call = bnCall;
    foldedCall.set(bn, bnCall);
    const relu = reluAfter(next);
    if (relu) installReluPassThrough(relu.layer);
    conv.call = (inputs, kwargs) => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      if (kwargs?.['training'] || bn.call !== foldedCall.get(bn) || x.rank !== 4) return ownConv(inputs, kwargs);
      const fuse = relu && passesReluThrough(relu.layer) ? relu.activation : undefined;
      const y = foldedConv(layer, conv, bn, x, fuse);
      folded.add(y);
      if (fuse) markReluApplied(y);
      return y;
    };
  }
}
