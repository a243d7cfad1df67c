/**
 * The live state of one run and the pure function that folds worker events into it. Series are
 * appended once per batch and thinned when long, so charts stay cheap however fast steps come.
 */
import type { LayerReport, Metrics, Phase, ProgressEvent, RunReport, TestScores } from '../core/events';
import type { RunArtifacts } from '../core/session-types';

/** `interrupted`: stopped by a crash, a lost GPU or a closed page; resumable from its checkpoint. */
export type RunStatus = 'idle' | 'running' | 'cancelling' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** One DST step as charted. */
export interface TrainPoint {
  step: number;
  epoch: number;
  /** The training objective (the base-decayed form can be negative). */
  loss: number;
  /** The distillation gap T^2 KL(p_t || p_s), never negative; null in runs recorded before it was sent. */
  kl: number | null;
  /** ln b of the base-decayed objective. */
  tau: number;
  lr: number;
}

export interface EvalPoint {
  step: number;
  agreement: number;
  top1: number | null;
  kl: number;
  best: boolean;
}

export interface ChurnPoint {
  step: number;
  mean: number;
  perLayer: number[];
}

/** Live tensors and backend bytes at a DST step. */
export interface MemoryPoint {
  step: number;
  numTensors: number;
  numBytes: number;
  /** wasm heap size (a high-water mark) and WebGPU's buffer pool, where the backend has them. */
  heapBytes: number | null;
  gpuBytes: number | null;
}

export interface SearchPoint {
  generation: number;
  best: number;
  mean: number;
}

export interface PhaseProgress {
  done: number;
  total: number;
  etaSeconds: number | null;
}

export interface RunState {
  /** Key of the run in the page's saved history; null before the first run. */
  id: string | null;
  /** Name of the model the run prunes. */
  modelName: string | null;
  /** Training step of the run's latest saved checkpoint (0: before training); null when none. */
  checkpointStep: number | null;
  status: RunStatus;
  phase: Phase | null;
  phaseMessage: string;
  /** Phases that have started, in order (all but the last are finished). */
  phasesSeen: Phase[];
  progress: PhaseProgress | null;
  train: TrainPoint[];
  evals: EvalPoint[];
  churn: ChurnPoint[];
  memory: MemoryPoint[];
  search: SearchPoint[];
  /** Per-layer sparsities of the best genome of the latest generation. */
  searchSparsities: number[] | null;
  layers: LayerReport[] | null;
  /** Validation scores (these images chose the checkpoint and the fallback). */
  metrics: { dense?: Metrics; oneShot?: Metrics; final?: Metrics };
  /** Test scores, taken once at the end (null without test images). */
  test: TestScores | null;
  /** The time budget's plan as the run said it ("search 6 x 3, 12 epochs, ..."), or null. */
  plan: { text: string; budgetSeconds: number; estimatedSeconds: number } | null;
  warnings: string[];
  log: string[];
  report: RunReport | null;
  artifacts: RunArtifacts | null;
  error: string | null;
  startedAt: number | null;
  endedAt: number | null;
}

export const idleRun: RunState = {
  id: null,
  modelName: null,
  checkpointStep: null,
  status: 'idle',
  phase: null,
  phaseMessage: '',
  phasesSeen: [],
  progress: null,
  train: [],
  evals: [],
  churn: [],
  memory: [],
  search: [],
  searchSparsities: null,
  layers: null,
  metrics: {},
  test: null,
  plan: null,
  warnings: [],
  log: [],
  report: null,
  artifacts: null,
  error: null,
  startedAt: null,
  endedAt: null,
};

/** Longest series kept; beyond it every other point is dropped (the newest always stays). */
export const MAX_POINTS = 1200;

export function thin<T>(series: T[]): T[] {
  if (series.length <= MAX_POINTS) return series;
  const last = series[series.length - 1]!;
  const kept = series.filter((_, i) => i % 2 === 0);
  if (kept[kept.length - 1] !== last) kept.push(last);
  return kept;
}

const MAX_LOG = 200;

/** Folds one batch of events into the run; returns a new object when anything changed. */
export function applyEvents(run: RunState, events: readonly ProgressEvent[]): RunState {
  if (events.length === 0) return run;
  const next: RunState = { ...run };
  const train = [...run.train];
  const churn = [...run.churn];
  const memory = [...run.memory];
  for (const e of events) {
    switch (e.type) {
      case 'phase':
        next.phase = e.phase;
        next.phaseMessage = e.message;
        next.progress = null;
        if (!next.phasesSeen.includes(e.phase)) next.phasesSeen = [...next.phasesSeen, e.phase];
        break;
      case 'progress':
        if (e.phase === next.phase) next.progress = { done: e.done, total: e.total, etaSeconds: e.etaSeconds };
        break;
      case 'layers':
        next.layers = e.layers;
        break;
      case 'search-generation':
        next.search = [...next.search, { generation: e.generation, best: e.best, mean: e.mean }];
        next.searchSparsities = e.sparsities;
        break;
      case 'train-step':
        train.push({ step: e.step, epoch: e.epoch, loss: e.loss, kl: e.kl ?? null, tau: e.tau, lr: e.lr });
        break;
      case 'churn':
        churn.push({ step: e.step, mean: e.mean, perLayer: e.perLayer });
        break;
      case 'memory':
        memory.push({ step: e.step, numTensors: e.numTensors, numBytes: e.numBytes, heapBytes: e.heapBytes ?? null, gpuBytes: e.gpuBytes ?? null });
        break;
      case 'eval':
        next.evals = [
          ...next.evals,
          { step: e.step, agreement: e.metrics.agreement, top1: e.metrics.top1 ?? null, kl: e.metrics.kl, best: e.best },
        ];
        break;
      case 'metrics':
        next.metrics = { ...next.metrics, [e.which]: e.metrics };
        break;
      case 'test-metrics':
        next.test = e.scores;
        break;
      case 'plan':
        next.plan = { text: e.text, budgetSeconds: e.budgetSeconds, estimatedSeconds: e.estimatedSeconds };
        break;
      case 'warning':
        next.warnings = [...next.warnings, e.message];
        break;
      case 'log':
        next.log = [...next.log, e.message].slice(-MAX_LOG);
        break;
    }
  }
  next.train = train.length === run.train.length ? run.train : thin(train);
  next.churn = churn.length === run.churn.length ? run.churn : thin(churn);
  next.memory = memory.length === run.memory.length ? run.memory : thin(memory);
  return next;
}

/**
 * A saved run continued from its checkpoint at `step`: what came after it is dropped (the
 * resumed run emits it again) and the charts go on from there.
 */
export function resumeFrom(run: RunState, step: number): RunState {
  const upTo = <T extends { step: number }>(series: T[]) => series.filter((p) => p.step <= step);
  const { dense, oneShot } = run.metrics;
  return {
    ...run,
    status: 'running',
    progress: null,
    train: upTo(run.train),
    churn: upTo(run.churn),
    memory: upTo(run.memory),
    evals: upTo(run.evals),
    metrics: { ...(dense ? { dense } : {}), ...(oneShot ? { oneShot } : {}) },
    test: null,
    report: null,
    artifacts: null,
    error: null,
    endedAt: null,
  };
}
