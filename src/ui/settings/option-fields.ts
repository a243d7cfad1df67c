/**
 * How each PruneOptions field is shown: label, a one-line explanation, the input kind and when
 * it matters. Defaults are read from core/options, never repeated here.
 */
import { DISTRIBUTIONS, OBJECTIVES, PREPROCESS_PRESETS, type PruneOptions } from '../../core/options';

type KeysOf<V> = { [K in keyof PruneOptions]: PruneOptions[K] extends V ? K : never }[keyof PruneOptions];
export type NumberKey = KeysOf<number>;
export type BoolKey = KeysOf<boolean>;
export type SelectKey = 'distribution' | 'objective' | 'unlabelledFitness' | 'nmNonFitting' | 'nmDepthwise' | 'preprocess';

export interface Choice {
  value: string;
  label: string;
}

export type Field =
  | { kind: 'number'; key: NumberKey; label: string; help: string; step: number; min?: number; max?: number }
  | { kind: 'bool'; key: BoolKey; label: string; help: string }
  | { kind: 'select'; key: SelectKey; label: string; help: string; choices: readonly Choice[] }
  | { kind: 'pattern'; label: string; help: string };

export interface FieldGroup {
  title: string;
  /** Open by default. */
  open: boolean;
  /** Shown only when this returns true (e.g. search settings for the search distribution). */
  when?: (o: PruneOptions) => boolean;
  fields: readonly Field[];
}

const DISTRIBUTION_LABELS: Record<string, string> = {
  search: 'search (UniPTS evolutionary search)',
  uniform: 'uniform (same sparsity in every layer)',
  erk: 'ERK (Erdős–Rényi-Kernel: big layers sparser)',
  global: 'global magnitude (one threshold for all)',
  lamp: 'LAMP (layer-adaptive magnitude scores)',
};
const OBJECTIVE_LABELS: Record<string, string> = {
  'kl-decay': 'kl-decay (UniPTS base-decayed KL)',
  kl: 'kl (plain distillation, τ fixed at 1)',
  mse: 'mse (on logits)',
  ce: 'ce (cross-entropy on labels)',
};
const choices = (values: readonly string[], labels: Record<string, string> = {}): Choice[] =>
  values.map((v) => ({ value: v, label: labels[v] ?? v }));

export const FIELD_GROUPS: readonly FieldGroup[] = [
  {
    title: 'Time',
    open: true,
    fields: [
      { kind: 'number', key: 'budgetMinutes', label: 'Time budget (minutes)', help: 'The run times a training step and a fitness evaluation, then sizes the search and training to end within it; 0 = no limit (the schedule below as set).', step: 1, min: 0 },
      { kind: 'number', key: 'earlyStopPatience', label: 'Early stop after', help: 'Validation checks in a row without a gain before training stops; 0 = never.', step: 1, min: 0 },
    ],
  },
  {
    title: 'Target',
    open: true,
    fields: [
      { kind: 'number', key: 'sparsity', label: 'Target sparsity', help: 'Fraction of prunable weights set to zero (0.5 = half).', step: 0.05, min: 0, max: 1 },
      { kind: 'pattern', label: 'Pattern', help: 'Unstructured (any weight), or N:M: keep N of every M consecutive input weights.' },
      { kind: 'select', key: 'distribution', label: 'Layer-wise distribution', help: 'How the global target is split across layers.', choices: choices(DISTRIBUTIONS, DISTRIBUTION_LABELS) },
      { kind: 'bool', key: 'keepFirstDense', label: 'Keep first layer dense', help: 'Never prune the first prunable kernel.' },
      { kind: 'bool', key: 'keepLastDense', label: 'Keep last layer dense', help: 'Never prune the last prunable kernel (the classifier).' },
    ],
  },
  {
    title: 'Training (dynamic sparse training)',
    open: true,
    fields: [
      { kind: 'number', key: 'epochs', label: 'Epochs', help: 'Passes over the calibration images; 0 = one-shot only.', step: 1, min: 0 },
      { kind: 'number', key: 'batchSize', label: 'Batch size', help: 'Images per step.', step: 1, min: 1 },
      { kind: 'number', key: 'lr', label: 'Learning rate', help: 'Peak SGD rate; 0 = chosen from the model and the number of steps.', step: 0.001, min: 0 },
      { kind: 'select', key: 'objective', label: 'Objective', help: 'What the sparse student minimises against the dense teacher.', choices: choices(OBJECTIVES, OBJECTIVE_LABELS) },
      { kind: 'number', key: 'temperature', label: 'Temperature T', help: 'Softens the teacher’s probabilities (and the student’s when tempered).', step: 0.5, min: 0 },
      { kind: 'number', key: 'tau0', label: 'Start ln(base) τ₀', help: 'The log base starts at e^τ₀; a smaller base later raises the gradient.', step: 0.5, min: 0 },
      { kind: 'number', key: 'tauGamma', label: 'Base decay γ', help: 'τ is multiplied by γ every epoch.', step: 0.005, min: 0, max: 1 },
      { kind: 'number', key: 'lambda', label: 'Pruned-weight decay λ', help: 'Pulls pruned weights toward zero; they can still regrow.', step: 1e-5, min: 0 },
      { kind: 'number', key: 'heldOut', label: 'Validation fraction', help: 'Calibration images held out of training: they choose the best checkpoint and whether the one-shot model is returned.', step: 0.05, min: 0, max: 0.95 },
      { kind: 'number', key: 'seed', label: 'Seed', help: 'Same seed, same run.', step: 1 },
    ],
  },
  {
    title: 'Search',
    open: false,
    when: (o) => o.distribution === 'search',
    fields: [
      { kind: 'number', key: 'population', label: 'Population', help: 'Genomes (candidate distributions) per generation.', step: 1, min: 2 },
      { kind: 'number', key: 'generations', label: 'Generations', help: 'Rounds of selection, crossover and mutation.', step: 1, min: 1 },
      { kind: 'number', key: 'parents', label: 'Parents', help: 'Fittest genomes kept each generation.', step: 1, min: 1 },
      { kind: 'number', key: 'mutationRate', label: 'Mutation rate', help: 'Chance that a gene is perturbed.', step: 0.05, min: 0, max: 1 },
      { kind: 'number', key: 'crossoverRate', label: 'Crossover rate', help: 'Chance that children mix two parents.', step: 0.1, min: 0, max: 1 },
      { kind: 'number', key: 'searchDelta', label: 'Excess δ', help: 'Every layer starts at P + δ; the search hands δ·N weights back.', step: 0.01, min: 0, max: 0.5 },
      { kind: 'number', key: 'fitnessImages', label: 'Fitness images', help: 'Calibration images per fitness evaluation (0 = all).', step: 16, min: 0 },
      { kind: 'select', key: 'unlabelledFitness', label: 'Unlabelled fitness', help: 'Score without labels: agreement with, or −KL to, the dense model.', choices: choices(['agreement', 'neg-kl']) },
    ],
  },
  {
    title: 'N:M details',
    open: true,
    when: (o) => o.pattern.kind === 'nm',
    fields: [
      { kind: 'select', key: 'nmNonFitting', label: 'Non-fitting layers', help: 'Layers whose input channels are not a multiple of M.', choices: choices(['unstructured', 'dense']) },
      { kind: 'select', key: 'nmDepthwise', label: 'Depthwise kernels', help: 'One input channel per group: skip them or prune anyway.', choices: choices(['skip', 'prune']) },
    ],
  },
  {
    title: 'Advanced',
    open: false,
    fields: [
      { kind: 'number', key: 'momentum', label: 'Momentum', help: 'SGD momentum.', step: 0.05, min: 0, max: 1 },
      { kind: 'number', key: 'weightDecay', label: 'Weight decay', help: 'L2 on kept weights and other trainable variables.', step: 1e-5, min: 0 },
      { kind: 'number', key: 'warmupEpochs', label: 'Warm-up epochs', help: 'Linear learning-rate warm-up before the cosine decay.', step: 1, min: 0 },
      { kind: 'number', key: 'maskInterval', label: 'Mask interval', help: 'Recompute masks every this many steps.', step: 1, min: 1 },
      { kind: 'bool', key: 'temperStudent', label: 'Temper the student', help: 'Divide student logits by T too (off = the reference, untempered).' },
      { kind: 'bool', key: 'augment', label: 'Augment', help: 'Flip + a 4-pixel padded crop on small (≤64 px) images, a random resized crop on photos.' },
      { kind: 'number', key: 'evalsPerRun', label: 'Validation checks', help: 'Checkpoints scored on the validation images during training; the best is kept.', step: 1, min: 1 },
      { kind: 'number', key: 'bnNoise', label: 'BN noise', help: 'Gaussian noise on inputs while re-estimating BatchNorm statistics.', step: 0.01, min: 0 },
      { kind: 'number', key: 'bnBatches', label: 'BN batches', help: 'Batches for BatchNorm re-estimation (0 = all).', step: 1, min: 0 },
      { kind: 'bool', key: 'matchStatistics', label: 'Match layer statistics', help: 'Models without BatchNorm (folded into the convs): after pruning, scale each layer\'s outputs back to the dense mean and spread, as BN re-estimation would.' },
      { kind: 'number', key: 'divergenceFactor', label: 'Divergence factor', help: 'The KL to the dense model (the loss itself for MSE and cross-entropy) above this × its lowest counts as divergence.', step: 1, min: 1 },
      { kind: 'select', key: 'preprocess', label: 'Preprocessing', help: 'Input normalisation (also under Inputs).', choices: choices(PREPROCESS_PRESETS) },
    ],
  },
];

/** Problems the shared validation does not see: number fields left empty or not numbers. */
export function fieldProblems(o: PruneOptions): string[] {
  const out: string[] = [];
  for (const g of FIELD_GROUPS) {
    for (const f of g.fields) {
      if (f.kind === 'number' && !Number.isFinite(o[f.key])) out.push(`${f.label} needs a number.`);
    }
  }
  return out;
}
