/**
 * What the engine understood of a model (ModelSummary), and the checks that a model is a
 * classifier the studio can prune: one image input, one [batch, classes] output, a prunable layer.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSummary, Preprocess } from '../../core/session-types';
import { PREPROCESS_PRESETS } from '../../core/options';
import { InputError } from '../errors';
import { inputGeometry } from '../data/preprocess';
import { findPrunableKernels, leafLayers } from './kernels';
import { activationName, findSoftmaxSite } from './logits';

/** Layers with kernels the studio leaves dense, so the user is told. */
const NOT_PRUNED = new Set(['Conv2DTranspose', 'Conv3D', 'Conv3DTranspose', 'ConvLSTM2D', 'LSTM', 'GRU', 'SimpleRNN', 'TimeDistributed', 'Bidirectional']);
const SUPPORTED = 'The studio prunes image classifiers: one input, one output of shape [batch, classes].';

/** Summarises `model` for the UI; throws InputError (model.json) when it cannot be pruned. */
export function summarizeModel(model: tf.LayersModel, name: string): ModelSummary {
  const names = (ts: tf.SymbolicTensor[]) => ts.map((t) => t.sourceLayer.name).join(', ');
  if (model.inputs.length !== 1) {
    throw new InputError('model.json', `model.json: the model has ${model.inputs.length} inputs (${names(model.inputs)}). ${SUPPORTED}`);
  }
  if (model.outputs.length !== 1) {
    throw new InputError('model.json', `model.json: the model has ${model.outputs.length} outputs (${names(model.outputs)}). ${SUPPORTED}`);
  }
  const outShape = model.outputs[0]!.shape;
  const classes = outShape[1];
  if (outShape.length !== 2 || typeof classes !== 'number' || classes < 2) {
    throw new InputError(
      'model.json',
      `model.json: the output has shape [${outShape.map((d) => d ?? 'batch').join(', ')}], not a class score vector. ${SUPPORTED} ` +
        '(at least 2 classes; probabilities or logits).',
    );
  }
  const geometry = inputGeometry(model);
  const kernels = findPrunableKernels(model, { keepFirstDense: false, keepLastDense: false });
  if (kernels.length === 0) {
    throw new InputError(
      'model.json',
      'model.json: the model has no prunable layer. The studio prunes the kernels of Conv2D, DepthwiseConv2D, SeparableConv2D, Conv1D and Dense layers.',
    );
  }
  const layers = leafLayers(model);
  const layerClasses: Record<string, number> = {};
  for (const l of layers) layerClasses[l.getClassName()] = (layerClasses[l.getClassName()] ?? 0) + 1;
  const warnings: string[] = [];
  const skipped = layers.filter((l) => NOT_PRUNED.has(l.getClassName()));
  if (skipped.length > 0) {
    warnings.push(
      `${skipped.map((l) => `${l.name} (${l.getClassName()})`).join(', ')} will stay dense: ` +
        'the studio prunes Conv2D, DepthwiseConv2D, SeparableConv2D, Conv1D and Dense kernels only.',
    );
  }
  const site = findSoftmaxSite(model);
  const lastAct = activationName(model.outputs[0]!.sourceLayer);
  if (!site && lastAct && !['linear', 'softmax'].includes(lastAct)) {
    warnings.push(`The output ends in ${lastAct}, not softmax or linear; the engine treats its values as logits.`);
  }
  const frozen = kernels.filter((k) => !k.layer.trainable);
  if (frozen.length > 0) {
    warnings.push(`${frozen.map((k) => k.layer.name).join(', ')} are marked non-trainable in model.json; the engine trains them anyway during DST.`);
  }
  const prunable = kernels.map((k) => k.summary);
  return {
    name,
    format: model.getClassName(),
    inputShape: geometry.squeezeChannel ? [geometry.height, geometry.width] : [geometry.height, geometry.width, geometry.channels],
    numClasses: classes,
    outputIsSoftmax: site !== null,
    totalParams: model.countParams(),
    layerCount: layers.length,
    layerClasses,
    prunable,
    prunableParams: prunable.reduce((s, k) => s + k.params, 0),
    hasBatchNorm: (layerClasses['BatchNormalization'] ?? 0) > 0,
    suggestedPreprocess: declaredPreprocess(model) ?? guessPreprocess(model.name, layers),
    warnings,
  };
}

/** The preprocessing a model.json declares in userDefinedMetadata.preprocess, if a known one. */
function declaredPreprocess(model: tf.LayersModel): Preprocess | null {
  const meta = model.getUserDefinedMetadata() as { preprocess?: unknown } | undefined;
  return PREPROCESS_PRESETS.find((p) => p === meta?.preprocess) ?? null;
}

/** Keras-applications naming tells the preprocessing: MobileNet/Inception/Xception use x/127.5-1. */
function guessPreprocess(modelName: string, layers: tf.layers.Layer[]): Preprocess {
  const classes = new Set(layers.map((l) => l.getClassName()));
  if (classes.has('Rescaling') || classes.has('Normalization')) return 'raw';
  const names = layers.map((l) => l.name);
  const symmetric = [/^conv_(dw|pw)_\d+/, /^expanded_conv/, /^block_\d+_expand/, /^mixed\d+/, /^block\d+_sepconv\d/];
  if (/mobilenet|inception|xception/i.test(modelName) || names.some((n) => symmetric.some((re) => re.test(n)))) return 'symmetric';
  return 'unit';
}
