/**
 * The engine's stateful facade: holds the loaded model and images between calls. The worker
 * exposes exactly this over comlink; the CLI drives it directly.
 */
import type * as tf from '@tensorflow/tfjs';
import { fingerprint, type RunCheckpoint } from '../core/checkpoint';
import type { ProgressCallback } from '../core/events';
import type { PruneOptions } from '../core/options';
import type { DatasetSummary, ModelSummary, NamedBytes, RunArtifacts } from '../core/session-types';
import { buildDataset } from './data/dataset';
import { inputGeometry } from './data/preprocess';
import type { Dataset, ImageDecoder } from './data/types';
import { InputError } from './errors';
import { loadAnyModel } from './model/load';
import type { OnnxSource } from './onnx/import-model';
import { withOnnxExport } from './onnx/session-export';
import { onnxSummary } from './onnx/summary';
import { summarizeModel } from './model/prunable';
import { runPipeline } from './pipeline/run';
import type { FitnessWorkerFactory } from './pipeline/fitness';
import type { ReplicaFactory } from './train/replicas';

export interface SessionDeps {
  decode: ImageDecoder;
  /** Backend name reported in results (already initialised by the caller). */
  backend: string;
}

/** Longest image side decoded at full resolution; larger images are downscaled or refused. */
export const MAX_IMAGE_SIDE = 4096;

/** Name of a model from its files: the .onnx file's name, the folder holding model.json, else "model". */
function modelName(files: NamedBytes[]): string {
  const onnx = files.find((f) => /\.onnx$/i.test(f.path));
  if (onnx) return onnx.path.slice(onnx.path.lastIndexOf('/') + 1).replace(/\.onnx$/i, '');
  const json = files.find((f) => /(^|\/)model\.json$/i.test(f.path)) ?? files.find((f) => f.path.endsWith('.json'));
  const parts = (json?.path ?? '').split('/');
  return parts.length > 1 ? parts[parts.length - 2]! : 'model';
}

/** A run's checkpoints (one to continue from, where new ones go, how often) and its search workers. */
export interface RunCheckpoints {
  resume?: RunCheckpoint;
  onCheckpoint?: (c: RunCheckpoint) => void | Promise<void>;
  checkpointMs?: number;
  /** Starts workers for the search, given the files of the loaded model (see pipeline/fitness.ts). */
  searchWorkers?: (modelFiles: NamedBytes[]) => FitnessWorkerFactory;
  /** Starts threads that share each training step, given the files of the loaded model (see train/replicas.ts). */
  trainingThreads?: (modelFiles: NamedBytes[]) => ReplicaFactory;
}

function withoutWorkers({ searchWorkers: _, trainingThreads: __, ...rest }: RunCheckpoints): Omit<RunCheckpoints, 'searchWorkers' | 'trainingThreads'> {
  return rest;
}

export class StudioSession {
  private model: tf.LayersModel | null = null;
  /** The loaded model's files (search workers load their own copy from them). */
  private files: NamedBytes[] = [];
  private summary: ModelSummary | null = null;
  private onnx: OnnxSource | null = null;
  private dataset: Dataset | null = null;
  /** Test images: scored once at the end of a run, never used for any choice. */
  private testSet: Dataset | null = null;
  private keys = { model: '', images: '' };
  private busy = false;

  constructor(readonly deps: SessionDeps) {}

  /** Parses model.json + shards or an .onnx (+ external data); replaces the current model only on success. */
  async loadModel(files: NamedBytes[]): Promise<ModelSummary> {
    const { model, onnx } = await loadAnyModel(files);
    let summary: ModelSummary;
    try {
      summary = summarizeModel(model, modelName(files));
      if (onnx) summary = onnxSummary(summary, onnx);
    } catch (e) {
      model.dispose();
      throw e;
    }
    // Images sized for another input shape no longer fit.
    if (this.dataset && this.summary && this.summary.inputShape.join('x') !== summary.inputShape.join('x')) {
      this.dataset = null;
      this.testSet = null;
    }
    this.model?.dispose();
    this.model = model;
    this.files = files;
    this.summary = summary;
    this.onnx = onnx;
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
    this.keys.model = fingerprint(...sorted.flatMap((f) => [f.path, new Uint8Array(f.bytes)]));
    return summary;
  }

  /**
   * Decodes and sizes images to the loaded model's input. Replaces the current image set only
   * on success. `classList` maps folder names to class indices when given.
   */
  async loadImages(files: NamedBytes[], classList?: string[], onProgress?: (done: number, total: number) => void, unlabelled = false): Promise<DatasetSummary> {
    const { dataset, summary } = await this.readImages('images', files, classList, onProgress, unlabelled);
    this.dataset = dataset;
    this.keys.images = fingerprint(dataset.paths.join('\n'), new Uint8Array(Int32Array.from(dataset.labels ?? []).buffer), String(dataset.count));
    return summary;
  }

  /**
   * Loads test images (sized like the calibration images). They are scored once at the end of
   * every run for the dense, one-shot and returned models, and choose nothing.
   */
  async loadTestImages(files: NamedBytes[], classList?: string[], onProgress?: (done: number, total: number) => void, unlabelled = false): Promise<DatasetSummary> {
    const { dataset, summary } = await this.readImages('test images', files, classList, onProgress, unlabelled);
    this.testSet = dataset;
    return summary;
  }

  /** Decodes and sizes images to the loaded model's input, labelled against its classes. */
  private async readImages(what: string, files: NamedBytes[], classList?: string[], onProgress?: (done: number, total: number) => void, unlabelled = false) {
    if (!this.model || !this.summary) throw new InputError(null, `Load a model first: ${what} are sized to its input.`);
    return buildDataset(files, this.deps.decode, inputGeometry(this.model), {
      unlabelled,
      ...(classList ? { classList } : {}),
      numClasses: this.summary.numClasses,
      maxSide: MAX_IMAGE_SIDE,
      ...(onProgress ? { onProgress } : {}),
    });
  }

  /** Forgets the test images. */
  clearTestImages(): void {
    this.testSet = null;
  }

  /** Number of test images loaded (0 = none). */
  get testImageCount(): number {
    return this.testSet?.count ?? 0;
  }

  /** Paths of the loaded images, in dataset order. */
  get imagePaths(): readonly string[] {
    return this.dataset?.paths ?? [];
  }

  /** Labels of the loaded images, or null when unlabelled. */
  get imageLabels(): Int32Array | null {
    return this.dataset?.labels ?? null;
  }

  /** The loaded model's summary, if any. */
  get modelSummary(): ModelSummary | null {
    return this.summary;
  }

  /** Runs the whole pipeline; rejects with an AbortError when `signal` fires. */
  async run(
    options: PruneOptions,
    onProgress: ProgressCallback,
    signal: AbortSignal,
    split?: { calib: number[]; heldOut: number[] },
    checkpoints: RunCheckpoints = {},
    startedAt?: number,
  ): Promise<RunArtifacts> {
    if (!this.model) throw new InputError(null, 'No model loaded: drop a model.json with its weight files first.');
    if (!this.dataset) throw new InputError(null, 'No images loaded: drop a folder of calibration images first.');
    if (this.busy) throw new Error('A run is already in progress.');
    this.busy = true;
    try {
      const result = await runPipeline(
        {
          model: this.model, ds: this.dataset, backend: this.deps.backend, keys: { ...this.keys }, ...withoutWorkers(checkpoints),
          ...(checkpoints.searchWorkers ? { fitnessWorkers: checkpoints.searchWorkers(this.files) } : {}),
          ...(checkpoints.trainingThreads ? { trainingThreads: checkpoints.trainingThreads(this.files) } : {}),
          ...(split ? { split } : {}), ...(this.testSet ? { test: this.testSet } : {}), ...(startedAt !== undefined ? { startedAt } : {}),
        },
        options,
        onProgress,
        signal,
      );
      return this.onnx ? withOnnxExport(this.onnx, result) : result;
    } finally {
      this.busy = false;
    }
  }

  /** Frees every tensor the session holds. */
  dispose(): void {
    this.model?.dispose();
    this.model = null;
    this.summary = null;
    this.onnx = null;
    this.dataset = null;
    this.testSet = null;
  }
}
