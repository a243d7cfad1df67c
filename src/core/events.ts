/**
 * What a run reports while it works and when it ends. Plain data: the engine emits these, the
 * worker forwards them, the UI store and the CLI consume them.
 */
import type { RunCosts } from './budget/plan-budget';
import type { TotalSizes } from './deploy/sizes';
import type { PruneOptions } from './options';

/** The phases of a run, in order. */
export type Phase = 'load' | 'dense-eval' | 'search' | 'one-shot' | 'dst' | 'final-eval' | 'export';
export const PHASES: readonly Phase[] = ['load', 'dense-eval', 'search', 'one-shot', 'dst', 'final-eval', 'export'];

/** Scores of one model on one image set. */
export interface Metrics {
  /** Top-1 accuracy against labels, when the images are labelled. */
  top1?: number;
  /** Top-5 accuracy against labels, when labelled and there are at least 5 classes. */
  top5?: number;
  /** Top-1 agreement with the dense model. */
  agreement: number;
  /** Mean KL(dense || model) at temperature 1. */
  kl: number;
  /** Number of images scored. */
  count: number;
}

/** Kind of a prunable kernel. */
export type LayerKind = 'conv2d' | 'depthwise' | 'separable-depthwise' | 'separable-pointwise' | 'conv1d' | 'dense';

/** One prunable kernel as the user sees it. */
export interface LayerSummary {
  /** Layer name, with `/depthwise` or `/pointwise` for the kernels of a separable conv. */
  name: string;
  kind: LayerKind;
  /** Kernel shape in TF.js order ([kh, kw, in, out], [in, out], ...). */
  shape: number[];
  /** Number of weights in the kernel. */
  params: number;
  /** True when the run keeps this layer dense (first/last option). */
  keptDense: boolean;
}

/** Per-layer plan and outcome. */
export interface LayerReport extends LayerSummary {
  /** Target sparsity for this layer. */
  targetSparsity: number;
  /** Achieved fraction of exact zeros in the exported kernel. */
  sparsity: number;
  /** "unstructured", "2:4", or "dense". */
  pattern: string;
  /** Why this layer got its pattern (N:M rules), when not the run's pattern. */
  patternNote?: string;
  /** What the uniform and ERK baselines would have given this layer. */
  uniform: number;
  erk: number;
}

export type ProgressEvent =
  | { type: 'phase'; phase: Phase; message: string }
  | { type: 'progress'; phase: Phase; done: number; total: number; etaSeconds: number | null }
  | { type: 'layers'; layers: LayerReport[] }
  | { type: 'search-generation'; generation: number; generations: number; best: number; mean: number; sparsities: number[] }
  /**
   * One DST step: `loss` is the training objective (the base-decayed form can be negative), `kl`
   * the distillation gap T^2 * KL(p_t || p_s) of the same forward pass (never negative).
   */
  | { type: 'train-step'; step: number; totalSteps: number; epoch: number; loss: number; kl: number; tau: number; lr: number; msPerStep: number }
  | { type: 'churn'; step: number; perLayer: number[]; mean: number }
  /** Live tensors and backend bytes during training (tf.memory()), to show a leak while it happens. */
  | ({ type: 'memory'; step: number; numTensors: number; numBytes: number } & BackendMemory)
  | { type: 'eval'; step: number; metrics: Metrics; best: boolean }
  /** Validation scores (the images that choose the checkpoint and the one-shot fallback). */
  | { type: 'metrics'; which: 'dense' | 'oneShot' | 'final'; metrics: Metrics }
  /** Test scores, taken once at the end on images that chose nothing. */
  | { type: 'test-metrics'; scores: TestScores }
  /** How a time budget was spent: the plan, made from measured costs before the search. */
  | { type: 'plan'; budgetSeconds: number; text: string; population: number; generations: number; epochs: number; evalsPerRun: number; estimatedSeconds: number; costs: RunCosts }
  | { type: 'warning'; message: string }
  | { type: 'log'; message: string };

/** Backend memory beyond the tensors: the wasm heap's size (it only grows) and WebGPU's buffer pool, in bytes; null where none. */
export interface BackendMemory {
  heapBytes: number | null;
  gpuBytes: number | null;
}

export type ProgressCallback = (event: ProgressEvent) => void;

export interface Timings {
  searchSeconds: number;
  trainSeconds: number;
  /** Mean wall time of one DST step. */
  msPerStep: number;
  /** Mean wall time of one search fitness evaluation. */
  fitnessSeconds: number;
  /** Fitness evaluations the search ran side by side (1: one at a time; absent in older reports). */
  searchParallel?: number;
  totalSeconds: number;
}

/** Median and spread of repeated timings, in milliseconds. */
export interface TimingStats {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** What the sparse model costs to store and run, measured before the user deploys it. */
export interface DeploymentReport {
  layers: {
    name: string;
    params: number;
    nonZeros: number;
    /** Bytes as dense float32, bitmask + values, CSR, and N:M-packed (null when not N:M). */
    denseFloat32: number;
    bitmask: number;
    csr: number;
    nmPacked: number | null;
    /** N:M layers only: whether every group holds at most N non-zeros, and the checker's sentence. */
    nmValid: boolean | null;
    nmMessage: string | null;
  }[];
  /** Totals over the prunable kernels; `gzip` is the exported weight file gzipped. */
  total: TotalSizes;
  /** Bytes of the exported weight file (every weight of the model, not only kernels). */
  weightFileBytes: number;
  /** gzip -6 of the dense model's weight file and of the sparse one. */
  gzipDenseFile: number;
  gzipSparseFile: number;
  /** Every N:M layer passed the validity check (null for unstructured runs). */
  nmValid: boolean | null;
  /** ONNX models: bytes of the dropped .onnx (with its external data) and of the sparse .onnx, plain and gzip -6. */
  onnx?: { denseBytes: number; sparseBytes: number; gzipDenseBytes: number; gzipSparseBytes: number };
  /** Inference latency on the active backend, batch 1. */
  latency: { backend: string; dense: TimingStats; sparse: TimingStats; speedup: number; note: string } | null;
}

/** Scores on the test images: dense, one-shot and returned models, each scored once at the end. */
export interface TestScores {
  dense: Metrics;
  oneShot: Metrics;
  final: Metrics;
  /** One-shot at the uniform distribution (the baseline the search is measured against), when the run searched. */
  oneShotUniform?: Metrics;
}

/** A run's time budget and what became of it. */
export interface BudgetReport {
  /** The budget in seconds. */
  budgetSeconds: number;
  /** The plan as said before the search ("search 16 x 10, 60 epochs, ..."). */
  plan: string;
  /** Estimated seconds of the whole run when planned. */
  estimatedSeconds: number;
  /** Measured costs the plan was made from, in seconds. */
  costs: RunCosts;
}

/** The report a run ends with (also written as report.json). */
export interface RunReport {
  /** Achieved global sparsity over the prunable kernels that the run pruned or kept dense. */
  globalSparsity: number;
  /** Achieved sparsity over all prunable kernels, dense-kept ones included. */
  overallSparsity: number;
  targetSparsity: number;
  pattern: string;
  distribution: string;
  layers: LayerReport[];
  /** Validation scores: these images chose the checkpoint and the one-shot fallback. */
  dense: Metrics;
  oneShot: Metrics;
  final: Metrics;
  /** Test scores (images that chose nothing), when test images were given. */
  test: TestScores | null;
  /** The time budget, when the run had one. */
  budget: BudgetReport | null;
  /** Why training stopped before its last step (early stop or the budget), else null. */
  /**
   * Images per forward/backward pass of a training step: the batch, or fewer when the step
   * memory (settings.stepMemoryMB) split each batch into chunks whose gradients were summed.
   */
  trainChunk: number;
  /**
   * Threads each training step ran on at the end of training (1: the run's own alone); with more,
   * each pass's images were split between them and BatchNorm used the pass's whole statistics.
   */
  trainThreads: number;
  /** The backend's memory when the run ended: for wasm, the heap's high-water mark. */
  memory: BackendMemory;
  stoppedEarly: string | null;
  /** Which model was returned: the trained one, or the one-shot one when training did not beat it. */
  returned: 'trained' | 'one-shot';
  /** Step of the best held-out checkpoint (-1 when none beat one-shot). */
  bestStep: number;
  /** Set when training diverged (NaN or loss blow-up), with what happened. */
  divergence: string | null;
  settings: PruneOptions;
  backend: string;
  timings: Timings;
  calibrationImages: number;
  /** Validation images (held out of training). */
  heldOutImages: number;
  /** Test images (0 when none were given). */
  testImages: number;
  warnings: string[];
  /** Search trace: best and mean fitness per generation. */
  search: { generation: number; best: number; mean: number }[];
  /** Sizes, N:M validity and latency of the exported model. */
  deployment: DeploymentReport | null;
  createdAt: string;
}
