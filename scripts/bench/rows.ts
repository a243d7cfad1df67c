/** The bench's rows, models and budget: plain data, shared by Node, the page and its worker without TF.js. */

/** Where a row was measured. */
export type Where = 'node' | 'chromium' | 'pytorch';

/** One (host, backend, model) measurement; numbers are null when the row was skipped. */
export interface BenchRow {
  where: Where;
  backend: string;
  model: string;
  batch: number;
  /** Timed steps per trainer after the warm-up steps (more where a step is quick, fewer than asked when the budget ran out; measure.ts). */
  steps: number;
  /** Median ms of the timed DST steps; denseKdMs likewise for the plain KD steps. */
  dstMs: number | null;
  denseKdMs: number | null;
  /** dstMs / denseKdMs. */
  overhead: number | null;
  stepGflops: number | null;
  matmulGflops: number | null;
  fitnessSeconds: number | null;
  /**
   * Median ms of the dense model's forward pass alone at the batch (inference, as the teacher's
   * in a step): the backend's own kernels with none of the training code around them, the figure
   * that tells a kernel gap from a gap in the studio's training path.
   */
  forwardMs: number | null;
  /** Images per forward/backward pass: the batch, or fewer where the default step memory splits it (as a run would). */
  chunk: number | null;
  /**
   * Memory high-water marks after the row, in MB: the wasm heap of the backend (it only grows, so
   * a later row includes the earlier ones' peak), WebGPU's pool of GPU buffers, and the process's
   * resident set (Node and PyTorch; the browser does not tell a page).
   */
  heapMB: number | null;
  gpuMB: number | null;
  rssMB: number | null;
  /** Why the row has no numbers, e.g. "skipped (est. 95 s/step)". */
  note: string | null;
}

/**
 * A bench model: its model.json path as the page fetches it (public/ is served at the root, the
 * checked-in fixtures of src/engine/export/fixtures/ under fixtures/; benchModelFile gives the
 * file in the repository) and the batch it trains at.
 */
export interface BenchModel {
  name: string;
  path: string;
  batch: number;
  /** The model's name for scripts/bench/torch_bench.py. */
  torch: 'demo' | 'mobilenet' | 'tm';
}

/** The fixtures folder the page serves under /fixtures/, relative to the repository. */
export const BENCH_FIXTURES_DIR = 'src/engine/export/fixtures';

/** The model's model.json relative to the repository root. */
export function benchModelFile(m: BenchModel): string {
  return m.path.startsWith('fixtures/') ? `${BENCH_FIXTURES_DIR}/${m.path.slice('fixtures/'.length)}` : `public/${m.path}`;
}

/**
 * The demo CNN first: its step time decides whether the larger models are worth timing. The
 * Teachable Machine export (MobileNetV2 0.35 under a dense head, ReLU6 layers, ZeroPadding2D before
 * each strided depthwise conv) is the kind of model most users bring.
 */
export const BENCH_MODELS: BenchModel[] = [
  { name: 'demo CNN (CIFAR-10)', path: 'demo/cifar10/model/model.json', batch: 32, torch: 'demo' },
  { name: 'MobileNet v1 0.25', path: 'models/mobilenet_v1_0.25_224/model.json', batch: 32, torch: 'mobilenet' },
  { name: 'Teachable Machine', path: 'fixtures/teachable-machine-waste/model.json', batch: 32, torch: 'tm' },
];

/** How long a backend may take. */
export interface Budget {
  /** Timed steps wanted per trainer (at least; quick steps get more, measure.ts). */
  steps: number;
  /** No further timed step starts once this many ms went into timed steps (one always runs). */
  stepBudgetMs: number;
  /**
   * When the first model's DST step takes longer than this, later (larger) models are skipped
   * with a FLOP-scaled estimate: on software GPUs their real step can be many times that estimate.
   */
  slowStepMs: number;
}

/** A row with no numbers. */
export function skippedRow(where: Where, backend: string, m: BenchModel, note: string): BenchRow {
  return { where, backend, model: m.name, batch: m.batch, steps: 0, dstMs: null, denseKdMs: null, overhead: null, stepGflops: null, matmulGflops: null, fitnessSeconds: null, forwardMs: null, chunk: null, heapMB: null, gpuMB: null, rssMB: null, note };
}
