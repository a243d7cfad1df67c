/**
 * Every setting of a pruning run, with its default, in one place. The UI, the worker and the
 * CLI all import this module, so a default changes in one line. Defaults follow
 * docs/method.md; `quickLook` and `paperDefaults` are the two presets.
 */

/** How the layer-wise sparsity distribution is chosen. */
export type Distribution = 'search' | 'uniform' | 'erk' | 'global' | 'lamp';
export const DISTRIBUTIONS: readonly Distribution[] = ['search', 'uniform', 'erk', 'global', 'lamp'];

/** Training objective. `kl-decay` is UniPTS; the others are ablations. */
export type Objective = 'kl-decay' | 'kl' | 'mse' | 'ce';
export const OBJECTIVES: readonly Objective[] = ['kl-decay', 'kl', 'mse', 'ce'];

/** Mixing of training images (PruneOptions.mix). */
export type MixKind = 'none' | 'mixup' | 'cutmix';
export const MIX_KINDS: readonly MixKind[] = ['none', 'mixup', 'cutmix'];

/** Input normalisation presets. */
export type Preprocess = 'unit' | 'symmetric' | 'imagenet' | 'raw';
export const PREPROCESS_PRESETS: readonly Preprocess[] = ['unit', 'symmetric', 'imagenet', 'raw'];

/** Search fitness when the calibration set has no labels (with labels, top-1 is used). */
export type UnlabelledFitness = 'agreement' | 'neg-kl';

/** What an N:M run does with a layer whose input-channel count is not a multiple of M. */
export type NmNonFitting = 'unstructured' | 'dense';

/** What an N:M run does with depthwise kernels (one input channel per group is meaningless). */
export type NmDepthwise = 'skip' | 'prune';

/** Sparsity pattern: unstructured, or N of every M consecutive weights along the input axis. */
export type Pattern = { kind: 'unstructured' } | { kind: 'nm'; n: number; m: number };

export interface PruneOptions {
  /** Target global sparsity P: the fraction of prunable weights set to zero, in (0, 1). */
  sparsity: number;
  /** Unstructured or N:M. */
  pattern: Pattern;
  /** N:M only: layers whose input channels are not a multiple of M. */
  nmNonFitting: NmNonFitting;
  /** N:M only: depthwise kernels. `skip` treats them like non-fitting layers. */
  nmDepthwise: NmDepthwise;
  /** Layer-wise distribution: the UniPTS search or a heuristic baseline. */
  distribution: Distribution;
  /** Keep the first prunable layer dense. */
  keepFirstDense: boolean;
  /** Keep the last prunable layer dense. */
  keepLastDense: boolean;
  /** Reduce-regrow excess delta: every layer starts at P + delta. */
  searchDelta: number;
  /** Evolutionary search population size. */
  population: number;
  /** Evolutionary search generations. */
  generations: number;
  /** Parents kept each generation. */
  parents: number;
  /** Per-gene mutation probability. */
  mutationRate: number;
  /** Crossover rate. */
  crossoverRate: number;
  /** Search fitness without labels. */
  unlabelledFitness: UnlabelledFitness;
  /** Calibration images per fitness evaluation (0 = all). */
  fitnessImages: number;
  /** Std of the Gaussian noise added to inputs during BN re-estimation. */
  bnNoise: number;
  /** Batches used for BN re-estimation (0 = all calibration batches). */
  bnBatches: number;
  /**
   * Models without BatchNorm layers (folded into their convolutions): after pruning, match each
   * conv and dense layer's output statistics to the dense model's, the re-estimation they lack.
   */
  matchStatistics: boolean;
  /** DST epochs (passes over the calibration set). */
  epochs: number;
  /** Batch size. */
  batchSize: number;
  /** Peak learning rate; 0 picks one from the model and the number of iterations. */
  lr: number;
  /** SGD momentum. */
  momentum: number;
  /** Weight decay (L2, on kept weights and other trainable variables). */
  weightDecay: number;
  /** Linear warm-up length in epochs. */
  warmupEpochs: number;
  /** Decay applied to pruned weights in the straight-through update. */
  lambda: number;
  /** Recompute masks every this many iterations. */
  maskInterval: number;
  /** Training objective. */
  objective: Objective;
  /** Teacher temperature T. */
  temperature: number;
  /** Divide the student logits by T too (default); false = reference (untempered) student. */
  temperStudent: boolean;
  /** Initial ln(base) tau_0 of the base-decayed KL. */
  tau0: number;
  /** Per-epoch decay gamma of tau. */
  tauGamma: number;
  /** Light augmentation (random resized crop + flip) on calibration batches. */
  augment: boolean;
  /**
   * Mixing of each training batch's images after augmentation (a patient and consistent teacher:
   * the dense teacher scores the very mixed view the student sees, so its outputs are the
   * targets and no label is needed): 'mixup' blends each image with another of the batch,
   * 'cutmix' pastes a box of another; 'none' trains on the augmented images alone.
   */
  mix: MixKind;
  /** Fraction of the images held out for scoring (never trained on). */
  heldOut: number;
  /** Held-out evaluations during DST (the best checkpoint is kept). */
  evalsPerRun: number;
  /** Input normalisation preset. */
  preprocess: Preprocess;
  /** Seed for every random choice of the run. */
  seed: number;
  /** Loss blow-up factor over its running minimum that counts as divergence. */
  divergenceFactor: number;
  /**
   * Wall-time budget of the whole run in minutes; 0 = none (the search and DST lengths above are
   * used as given). With a budget, the run times a training step and a fitness evaluation first
   * and sizes population, generations, epochs and validation evaluations to fit it.
   */
  budgetMinutes: number;
  /** DST stops when this many validation evaluations in a row did not beat the best (0 = never). */
  earlyStopPatience: number;
  /**
   * Memory a training step's activations may take, in MB (0 = no limit). When the estimate for
   * the batch is larger, each step runs the batch in chunks that fit and sums their gradients.
   */
  stepMemoryMB: number;
}

/** Defaults of docs/method.md (the authors' reference recipe). */
export const paperDefaults: PruneOptions = {
  sparsity: 0.5,
  pattern: { kind: 'unstructured' },
  nmNonFitting: 'unstructured',
  nmDepthwise: 'skip',
  distribution: 'search',
  keepFirstDense: false,
  keepLastDense: false,
  searchDelta: 0.05,
  population: 25,
  generations: 25,
  parents: 10,
  mutationRate: 0.1,
  crossoverRate: 1.0,
  unlabelledFitness: 'agreement',
  fitnessImages: 0,
  bnNoise: 0.01,
  bnBatches: 0,
  matchStatistics: true,
  epochs: 100,
  batchSize: 64,
  lr: 0,
  momentum: 0.9,
  // The reference recipe's 1e-4 (ResNets); it gives 4e-5 for MobileNetV2 only.
  weightDecay: 1e-4,
  warmupEpochs: 1,
  lambda: 5e-5,
  maskInterval: 1,
  objective: 'kl-decay',
  temperature: 4,
  temperStudent: true,
  tau0: 8,
  tauGamma: 0.99,
  augment: true,
  mix: 'none',
  heldOut: 0.2,
  evalsPerRun: 10,
  preprocess: 'symmetric',
  seed: 1,
  divergenceFactor: 20,
  budgetMinutes: 0,
  earlyStopPatience: 0,
  stepMemoryMB: 512,
};

/** A fixed small schedule (no budget) that finishes in seconds: tests and quick experiments. */
export const quickLook: PruneOptions = {
  ...paperDefaults,
  // A few dozen steps need a larger rate than 100 epochs do (demo CNN at 90%: 0.003 -> +5
  // points over one-shot, 0.03 -> +15); the best-checkpoint guard covers a rate that is too high.
  lr: 0.03,
  population: 8,
  generations: 3,
  parents: 3,
  fitnessImages: 64,
  bnBatches: 2,
  epochs: 3,
  batchSize: 16,
  evalsPerRun: 3,
};

/** Named time budgets (minutes); 0 runs the paper's schedule however long it takes. */
export const BUDGETS = { quick: 1, thorough: 10, unlimited: 0 } as const;

/**
 * The paper's method sized to a 10-minute budget: the run times a step and a fitness evaluation
 * and cuts the search and DST to fit (batch 32 keeps a 224-pixel model's step in memory), and
 * stops training early when validation stops improving. The CLI's default.
 */
export const thorough: PruneOptions = {
  ...paperDefaults,
  batchSize: 32,
  budgetMinutes: BUDGETS.thorough,
  earlyStopPatience: 5,
};

/**
 * The same, sized to a 1-minute budget: the page's first settings. Batch 16 (a 224-pixel
 * MobileNetV2 step at batch 32 ran the page's wasm heap out of memory) and fitness evaluations
 * on 128 images with 4 BN batches, so a minute holds a few generations.
 */
export const quickBudget: PruneOptions = { ...thorough, budgetMinutes: BUDGETS.quick, batchSize: 16, fitnessImages: 128, bnBatches: 4 };

/** The presets the page offers and `--preset` names: one per time budget. */
export const PRESETS = { quick: quickBudget, thorough, paper: paperDefaults } as const;
export type PresetName = keyof typeof PRESETS;

/** What a run aims for (sparsity and pattern), as opposed to the recipe a preset sets. */
export type Goal = Pick<PruneOptions, 'sparsity' | 'pattern'>;

/** A built-in example's starting point: its goal, and what it sets beyond the quick preset. */
export type Example = Goal & Partial<Pick<PruneOptions, 'lr'>>;

/**
 * What the built-in examples open on, over the quick (1-minute) preset: the demo at 90%
 * unstructured, where one-shot pruning falls far below dense and training wins much of it back,
 * and the same demo at 2:4. A minute holds only a hundred or so steps, which need a larger rate
 * than the automatic one (demo at 90%, CLI, seed 1: one-shot 31.7%, returned 50.0% top-1 at the
 * automatic 0.003, 66.7% at 0.03; dense 75.0%); at 50% one-shot loses nothing, so nothing shows.
 */
export const EXAMPLES = {
  demo: { sparsity: 0.9, pattern: { kind: 'unstructured' }, lr: 0.03 },
  'demo-2of4': { sparsity: 0.5, pattern: { kind: 'nm', n: 2, m: 4 }, lr: 0.03 },
} as const satisfies Record<string, Example>;
export type ExampleName = keyof typeof EXAMPLES;

/** The CLI's defaults. */
export const cliDefaults: PruneOptions = thorough;

/** Parses "2:4" into an N:M pattern; "unstructured" into the unstructured one. */
export function parsePattern(text: string): Pattern {
  const t = text.trim().toLowerCase();
  if (t === 'unstructured' || t === '') return { kind: 'unstructured' };
  const m = /^(\d+)\s*:\s*(\d+)$/.exec(t);
  if (!m) throw new Error(`pattern "${text}" is not "unstructured" or N:M such as 2:4`);
  return { kind: 'nm', n: Number(m[1]), m: Number(m[2]) };
}

export function formatPattern(p: Pattern): string {
  return p.kind === 'unstructured' ? 'unstructured' : `${p.n}:${p.m}`;
}

/** Problems with a set of options, as sentences a user can act on; empty when valid. */
export function validateOptions(o: PruneOptions): string[] {
  const errors: string[] = [];
  const num = (v: number) => typeof v === 'number' && Number.isFinite(v);
  if (o.pattern.kind === 'unstructured') {
    if (!num(o.sparsity) || o.sparsity <= 0 || o.sparsity >= 1) {
      errors.push(`Target sparsity must be between 0 and 1 (exclusive); got ${o.sparsity}.`);
    }
  } else {
    const { n, m } = o.pattern;
    if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 2) {
      errors.push(`N:M needs whole numbers with N >= 1 and M >= 2; got ${n}:${m}.`);
    } else if (n >= m) {
      errors.push(`N:M needs N < M (N weights kept out of every M); got ${n}:${m}.`);
    }
  }
  if (!Number.isInteger(o.epochs) || o.epochs < 0) errors.push(`Epochs must be a whole number >= 0; got ${o.epochs}.`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) errors.push(`Batch size must be a whole number >= 1; got ${o.batchSize}.`);
  if (!num(o.lr) || o.lr < 0) errors.push(`Learning rate must be >= 0 (0 = automatic); got ${o.lr}.`);
  if (!MIX_KINDS.includes(o.mix)) errors.push(`Mixing must be one of ${MIX_KINDS.join(', ')}; got ${String(o.mix)}.`);
  else if (o.mix !== 'none' && o.objective === 'ce') errors.push(`Mixing (${o.mix}) needs a teacher objective: a mixed image has no single label for cross-entropy.`);
  if (!num(o.heldOut) || o.heldOut < 0 || o.heldOut >= 1) errors.push(`Held-out fraction must be in [0, 1); got ${o.heldOut}.`);
  if (!num(o.temperature) || o.temperature <= 0) errors.push(`Temperature must be > 0; got ${o.temperature}.`);
  if (!num(o.tau0) || o.tau0 <= 0) errors.push(`Initial ln(base) must be > 0; got ${o.tau0}.`);
  if (!num(o.tauGamma) || o.tauGamma <= 0 || o.tauGamma > 1) errors.push(`Base decay must be in (0, 1]; got ${o.tauGamma}.`);
  if (!num(o.budgetMinutes) || o.budgetMinutes < 0) errors.push(`Time budget must be >= 0 minutes (0 = unlimited); got ${o.budgetMinutes}.`);
  if (!Number.isInteger(o.earlyStopPatience) || o.earlyStopPatience < 0) errors.push(`Early-stop patience must be a whole number >= 0; got ${o.earlyStopPatience}.`);
  if (!num(o.stepMemoryMB) || o.stepMemoryMB < 0) errors.push(`Step memory must be >= 0 MB (0 = no limit); got ${o.stepMemoryMB}.`);
  if (o.distribution === 'search') {
    if (!Number.isInteger(o.population) || o.population < 2) errors.push(`Search population must be >= 2; got ${o.population}.`);
    if (!Number.isInteger(o.generations) || o.generations < 1) errors.push(`Search generations must be >= 1; got ${o.generations}.`);
    if (!Number.isInteger(o.parents) || o.parents < 1 || o.parents > o.population) {
      errors.push(`Parents must be between 1 and the population size; got ${o.parents}.`);
    }
  }
  return errors;
}
