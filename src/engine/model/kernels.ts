/**
 * Discovery of prunable kernels: Conv2D, Conv1D, Dense, DepthwiseConv2D and the two kernels of
 * SeparableConv2D, in model order, recursing into nested models. Biases, BatchNorm parameters
 * and embeddings are never prunable.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerKind, LayerSummary } from '../../core/events';

/** One prunable kernel: what the user sees, the layer that owns it and its variable. */
export interface PrunableKernel {
  /** Name, kind, shape, params and keptDense as shown to the user. */
  summary: LayerSummary;
  /** The layer that owns the kernel. */
  layer: tf.layers.Layer;
  /** The kernel variable (LayerVariable). */
  variable: tf.LayerVariable;
}

/** Options that decide which kernels stay dense. */
export interface PrunableOptions {
  /** Keep the first prunable layer dense (both kernels of a SeparableConv2D). */
  keepFirstDense: boolean;
  /** Keep the last prunable layer dense. */
  keepLastDense: boolean;
}

interface KernelRule {
  /** Weight name TF.js gives the kernel (the variable is "<layer>/<weight>"). */
  weight: string;
  kind: LayerKind;
  /** Suffix of the user-facing name, for layers with several kernels. */
  part?: string;
}

/** Prunable kernels by Keras class name (checked against tfjs-layers 4.22 addWeight names). */
const RULES: Record<string, KernelRule[]> = {
  Conv2D: [{ weight: 'kernel', kind: 'conv2d' }],
  Conv1D: [{ weight: 'kernel', kind: 'conv1d' }],
  Dense: [{ weight: 'kernel', kind: 'dense' }],
  DepthwiseConv2D: [{ weight: 'depthwise_kernel', kind: 'depthwise' }],
  SeparableConv2D: [
    { weight: 'depthwise_kernel', kind: 'separable-depthwise', part: 'depthwise' },
    { weight: 'pointwise_kernel', kind: 'separable-pointwise', part: 'pointwise' },
  ],
};

/** Leaf layers of a model in order, nested models expanded. */
export function leafLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  for (const layer of model.layers) {
    if (layer instanceof tf.LayersModel) out.push(...leafLayers(layer));
    else out.push(layer);
  }
  return out;
}

/** The kernel variable of `layer` whose TF.js weight name is `weight`. */
export function findKernelVariable(layer: tf.layers.Layer, weight: string): tf.LayerVariable | undefined {
  const matches = (v: tf.LayerVariable) => {
    const name = v.originalName ?? v.name;
    return name === weight || name.endsWith(`/${weight}`);
  };
  return layer.trainableWeights.find(matches) ?? layer.weights.find(matches);
}

/** Prunable kernels of `model` in model order, with keptDense set per the options. */
export function findPrunableKernels(model: tf.LayersModel, opts: PrunableOptions): PrunableKernel[] {
  const found: (PrunableKernel & { layerIndex: number })[] = [];
  const usedNames = new Set<string>();
  let layerIndex = 0;
  for (const layer of leafLayers(model)) {
    const rules = RULES[layer.getClassName()];
    if (!rules) continue;
    let any = false;
    for (const rule of rules) {
      const variable = findKernelVariable(layer, rule.weight);
      if (!variable) continue;
      let name = rule.part ? `${layer.name}/${rule.part}` : layer.name;
      while (usedNames.has(name)) name = `${name}_`;
      usedNames.add(name);
      const shape = variable.shape.map((d) => d ?? 0);
      const params = shape.reduce((a, b) => a * b, 1);
      found.push({ summary: { name, kind: rule.kind, shape, params, keptDense: false }, layer, variable, layerIndex });
      any = true;
    }
    if (any) layerIndex++;
  }
  const last = layerIndex - 1;
  return found.map(({ layerIndex: i, ...k }) => {
    k.summary.keptDense = (opts.keepFirstDense && i === 0) || (opts.keepLastDense && i === last);
    return k;
  });
}
