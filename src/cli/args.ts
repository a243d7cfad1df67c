import { parseArgs } from 'node:util';
import {
  BUDGETS,
  cliDefaults,
  DISTRIBUTIONS,
  MIX_KINDS,
  OBJECTIVES,
  parsePattern,
  PREPROCESS_PRESETS,
  PRESETS,
  type Distribution,
  type MixKind,
  type Objective,
  type Preprocess,
  type PruneOptions,
} from '../core/options';
import { defaultSearchWorkers } from '../node/fitness-workers';
import { defaultWasmThreads, MAX_WASM_THREADS } from '../node/wasm-threads';
import { defaultTrainThreads } from '../node/train-workers';

/** Parsed command line of `pts-studio prune`. */
export interface PruneCommand {
  model: string;
  images: string;
  /** Validation images: choose the checkpoint and the one-shot fallback (else split off --images). */
  valImages: string | null;
  /** Test images: scored once at the end, never used for a choice. */
  testImages: string | null;
  classList: string | null;
  calibCount: number;
  out: string;
  options: PruneOptions;
  quiet: boolean;
  /** 'auto' (wasm, else cpu), 'wasm' or 'cpu'. */
  backend: string;
  /** Read the images without labels (folder names ignored): scores are agreement with the dense model. */
  unlabelled: boolean;
  /** File to write every progress event of the run to, as JSON (null: none). */
  events: string | null;
  /** An earlier run's output folder to continue from (its inputs and checkpoint), or null. */
  resume: string | null;
  /** Whether --batch was given (a resumed run may change only the batch size). */
  batchGiven: boolean;
  /** Worker threads that evaluate search genomes beside the main thread (0: none). */
  searchWorkers: number;
  /** Whether --search-workers was given (the default count is capped by free memory, a given one is not). */
  searchWorkersGiven: boolean;
  /** Threads each training step runs on, the main one included (1: the main thread alone). */
  trainThreads: number;
  /** Threads the wasm backend's kernels run on in the main thread (XNNPACK's pool; 1: the main thread alone). */
  threads: number;
}

export const HELP = `pts-studio prune: post-training sparsity (UniPTS) on a TF.js layers model

Usage:
  npx pts-studio prune --model <model.json> --images <dir> --sparsity <P> [options]

Inputs:
  --model <file>          model.json of a TF.js layers model (weight shards beside it), or an
                          .onnx image classifier (external data beside it); writes <out>/model.onnx
  --images <dir>          calibration images; class sub-folders give labels
                          (integer names = class indices, else names / sorted order)
  --val-images <dir>      validation images: they choose the best checkpoint and whether
                          the one-shot model is returned (default: a seeded stratified
                          --held-out split of --images, never trained on)
  --eval-images <dir>     the old name of --val-images
  --test-images <dir>     test images: dense, one-shot and returned models are scored on
                          them once at the end; they choose nothing
  --class-list <file>     class names, one class per line (line i = class i); default: the
                          labels of a Teachable Machine metadata.json beside model.json
  --calib-count <K>       use at most K calibration images (default: all)
  --unlabelled            ignore folder names: the images are unlabelled and scores are
                          agreement with the dense model (for folders that are not classes)
  --out <dir>             output folder (default: out)
  --resume <dir>          continue the run whose output folder is <dir> from its checkpoint
                          (written after the one-shot phase and during training), with its
                          inputs and settings; only --batch may change before training began

Time:
  --budget <m>            wall-time budget in minutes for the whole run, or quick (${BUDGETS.quick}),
                          thorough (${BUDGETS.thorough}), unlimited (the paper's full schedule)
                          (default ${cliDefaults.budgetMinutes}; --preset paper: unlimited). The run times a
                          step and a fitness evaluation, then sizes search and training
  --patience <n>          stop training after n validation checks without a gain, 0 = never
                          (default ${cliDefaults.earlyStopPatience}; --preset paper: 0)

Memory:
  --step-memory <MB>      most memory a training step's activations may take (default
                          ${cliDefaults.stepMemoryMB}; 0 = no limit). A batch estimated above it trains in
                          chunks that fit, their gradients summed (the update stays the batch's)

Speed:
  --threads <n>           threads the wasm backend's kernels run on (default ${defaultWasmThreads()}: one per core,
                          at most ${MAX_WASM_THREADS}; 1 with --train-threads). They share the model and its
                          memory; the studio's own gradient kernels still run on one
  --search-workers <n>    worker threads that evaluate search genomes beside the main thread
                          (default: one per core the main thread's --threads leave, at most 7,
                          and no more than half the free memory holds: ${defaultSearchWorkers(defaultWasmThreads())} here; 0 = none).
                          The search's result does not depend on it
  --train-threads <n>     threads each training step runs on, the main one included (default 1;
                          more than one per core does not help: ${defaultTrainThreads()} here). Each chunk of the
                          batch is split between them and BatchNorm still normalises with the
                          whole chunk's statistics, so the result does not depend on it (up to
                          rounding). Each thread holds its own model and runtime (MobileNet
                          v1 0.25: about 0.3 GB more)

Method (defaults: docs/method.md; --preset paper for the reference recipe's schedule):
  --sparsity <P>          target global sparsity in (0, 1) (default ${cliDefaults.sparsity})
  --pattern <p>           unstructured | N:M such as 2:4 (default unstructured)
  --distribution <d>      ${DISTRIBUTIONS.join(' | ')} (default ${cliDefaults.distribution})
  --epochs <E>            DST epochs over the calibration set (default ${cliDefaults.epochs})
  --batch <B>             batch size (default ${cliDefaults.batchSize})
  --lr <X>                peak learning rate; 0 = automatic (default 0)
  --weight-decay <X>      L2 weight decay (default ${cliDefaults.weightDecay})
  --divergence-factor <F> the distillation gap (KL) over F x its lowest counts as divergence
                          (default ${cliDefaults.divergenceFactor})
  --objective <o>         ${OBJECTIVES.join(' | ')} (default ${cliDefaults.objective})
  --temperature <T>       teacher temperature (default ${cliDefaults.temperature})
  --tau0 <t>              initial ln(base) of the decayed KL (default ${cliDefaults.tau0})
  --gamma <g>             per-epoch decay of ln(base) (default ${cliDefaults.tauGamma})
  --population <n>        search population (default ${cliDefaults.population})
  --generations <n>       search generations (default ${cliDefaults.generations})
  --held-out <f>          validation fraction when no --val-images (default ${cliDefaults.heldOut})
  --preprocess <p>        ${PREPROCESS_PRESETS.join(' | ')} (default: guessed from the model)
  --keep-first-dense      keep the first prunable layer dense
  --keep-last-dense       keep the last prunable layer dense
  --no-augment            no random crop / flip on calibration batches
  --mix <m>               ${MIX_KINDS.join(' | ')}: mix each training batch's images in pairs,
                          the teacher scoring the same mixed view (default ${cliDefaults.mix})
  --no-match-statistics   models without BatchNorm layers: do not match each layer's output
                          statistics to the dense model's after pruning (on by default)
  --preset <name>         thorough (default: 10-minute budget) | quick (1-minute budget,
                          batch 16) | paper (the reference schedule, no budget)
  --seed <S>              seed of every random choice (default ${cliDefaults.seed})
  --backend <b>           auto (wasm, else cpu) | wasm | cpu (default auto)
  --quiet                 print only the summary
  --events <file>         write every progress event of the run (and the report) to a JSON file

Writes <out>/report.json, <out>/recipe.json, <out>/masks.json + masks.bin and the sparse
model in <out>/model/ (model.json + weights.bin, reloadable with tf.loadLayersModel).
`;

const num = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} expects a number, got "${v}"`);
  return n;
};

function oneOf<T extends string>(v: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new Error(`--${name} must be one of ${allowed.join(', ')}; got "${v}"`);
  return v as T;
}

/** Minutes of a --budget value: a number, or quick / thorough / unlimited. */
export function parseBudget(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (v in BUDGETS) return BUDGETS[v as keyof typeof BUDGETS];
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--budget expects minutes (e.g. 2) or quick, thorough, unlimited; got "${v}"`);
  return n;
}

/** Parses `prune` arguments; throws an Error with a user-facing message on bad input. */
export function parsePrune(argv: string[]): PruneCommand & { preprocessGiven: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      model: { type: 'string' }, images: { type: 'string' }, 'eval-images': { type: 'string' },
      'val-images': { type: 'string' }, 'test-images': { type: 'string' }, budget: { type: 'string' },
      patience: { type: 'string' }, 'step-memory': { type: 'string' }, 'weight-decay': { type: 'string' }, 'divergence-factor': { type: 'string' }, resume: { type: 'string' },
      'class-list': { type: 'string' }, 'calib-count': { type: 'string' }, out: { type: 'string' },
      sparsity: { type: 'string' }, pattern: { type: 'string' }, distribution: { type: 'string' },
      epochs: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, objective: { type: 'string' },
      temperature: { type: 'string' }, tau0: { type: 'string' }, gamma: { type: 'string' },
      population: { type: 'string' }, generations: { type: 'string' }, 'held-out': { type: 'string' },
      preprocess: { type: 'string' }, 'keep-first-dense': { type: 'boolean' }, 'keep-last-dense': { type: 'boolean' },
      'no-augment': { type: 'boolean' }, mix: { type: 'string' }, 'no-match-statistics': { type: 'boolean' }, preset: { type: 'string' }, seed: { type: 'string' }, quiet: { type: 'boolean' },
      backend: { type: 'string' }, unlabelled: { type: 'boolean' }, events: { type: 'string' },
      'search-workers': { type: 'string' },
      'train-threads': { type: 'string' },
      threads: { type: 'string' },
    },
  });
  if (!values.model && !values.resume) throw new Error('--model <model.json> is required (see --help)');
  if (!values.images && !values.resume) throw new Error('--images <dir> is required (see --help)');
  const presetName = values.preset ?? 'thorough';
  // 'cli' is the old name of the default.
  const base = presetName === 'cli' ? cliDefaults : PRESETS[presetName as keyof typeof PRESETS];
  if (!base) throw new Error(`--preset must be thorough, quick or paper; got "${presetName}"`);
  const o: PruneOptions = { ...base };
  const set = <K extends keyof PruneOptions>(k: K, v: PruneOptions[K] | undefined) => {
    if (v !== undefined) o[k] = v;
  };
  set('sparsity', num(values.sparsity, 'sparsity'));
  if (values.pattern) o.pattern = parsePattern(values.pattern);
  set('distribution', oneOf<Distribution>(values.distribution, DISTRIBUTIONS, 'distribution'));
  set('epochs', num(values.epochs, 'epochs'));
  set('batchSize', num(values.batch, 'batch'));
  set('lr', num(values.lr, 'lr'));
  set('weightDecay', num(values['weight-decay'], 'weight-decay'));
  set('divergenceFactor', num(values['divergence-factor'], 'divergence-factor'));
  set('earlyStopPatience', num(values.patience, 'patience'));
  set('stepMemoryMB', num(values['step-memory'], 'step-memory'));
  set('budgetMinutes', parseBudget(values.budget));
  set('objective', oneOf<Objective>(values.objective, OBJECTIVES, 'objective'));
  set('temperature', num(values.temperature, 'temperature'));
  set('tau0', num(values.tau0, 'tau0'));
  set('tauGamma', num(values.gamma, 'gamma'));
  set('population', num(values.population, 'population'));
  set('generations', num(values.generations, 'generations'));
  set('heldOut', num(values['held-out'], 'held-out'));
  set('preprocess', oneOf<Preprocess>(values.preprocess, PREPROCESS_PRESETS, 'preprocess'));
  set('seed', num(values.seed, 'seed'));
  if (values['keep-first-dense']) o.keepFirstDense = true;
  if (values['keep-last-dense']) o.keepLastDense = true;
  if (values['no-augment']) o.augment = false;
  set('mix', oneOf<MixKind>(values.mix, MIX_KINDS, 'mix'));
  if (values['no-match-statistics']) o.matchStatistics = false;
  o.parents = Math.min(o.parents, o.population);
  const calibCount = num(values['calib-count'], 'calib-count') ?? 0;
  const trainThreads = num(values['train-threads'], 'train-threads') ?? 1;
  if (!Number.isInteger(trainThreads) || trainThreads < 1 || trainThreads > 64) {
    throw new Error(`--train-threads must be a whole number from 1 to 64; got ${values['train-threads']}`);
  }
  // Training threads each run a runtime of their own on a core: the main one then keeps to one.
  const threads = num(values.threads, 'threads') ?? (trainThreads > 1 ? 1 : defaultWasmThreads());
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new Error(`--threads must be a whole number from 1 to ${MAX_WASM_THREADS}; got ${values.threads}`);
  }
  const searchWorkers = num(values['search-workers'], 'search-workers') ?? defaultSearchWorkers(threads);
  if (!Number.isInteger(searchWorkers) || searchWorkers < 0 || searchWorkers > 64) {
    throw new Error(`--search-workers must be a whole number from 0 to 64; got ${values['search-workers']}`);
  }
  if (values['val-images'] && values['eval-images']) throw new Error('--eval-images is the old name of --val-images: give one of them');
  return {
    model: values.model ?? '',
    images: values.images ?? '',
    valImages: values['val-images'] ?? values['eval-images'] ?? null,
    testImages: values['test-images'] ?? null,
    classList: values['class-list'] ?? null,
    calibCount,
    out: values.out ?? values.resume ?? 'out',
    resume: values.resume ?? null,
    batchGiven: values.batch !== undefined,
    options: o,
    quiet: values.quiet ?? false,
    backend: oneOf(values.backend, ['auto', 'wasm', 'cpu'], 'backend') ?? 'auto',
    preprocessGiven: values.preprocess !== undefined,
    unlabelled: values.unlabelled ?? false,
    events: values.events ?? null,
    searchWorkers,
    searchWorkersGiven: values['search-workers'] !== undefined,
    trainThreads,
    threads,
  };
}
