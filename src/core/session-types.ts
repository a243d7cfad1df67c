/**
 * Plain data exchanged between the engine session, the worker API and the UI. No TF.js types
 * here, so the UI can import them without importing the engine.
 */
import type { LayerSummary, RunReport } from './events';
import type { Preprocess } from './options';

/** A file handed to the engine: its path relative to what was dropped, and its bytes. */
export interface NamedBytes {
  /** Path relative to the dropped folder, '/'-separated, e.g. "images/003/n01_tench.jpg". */
  path: string;
  bytes: ArrayBuffer;
}

/** A problem with something the user gave us; `file` names the culprit when there is one. */
export interface InputProblem {
  file: string | null;
  message: string;
}

/** What the engine understood of a model. */
export interface ModelSummary {
  /** Name from model.json, or the folder name. */
  name: string;
  /** "Sequential" or "Model" (functional), or "ONNX (opset N, producer)" for imported ONNX files. */
  format: string;
  /** Input shape without the batch dimension, e.g. [224, 224, 3] or [28, 28]. */
  inputShape: number[];
  /** Number of classes of the output vector. */
  numClasses: number;
  /** Whether the model ends in a softmax the engine strips to read logits. */
  outputIsSoftmax: boolean;
  totalParams: number;
  layerCount: number;
  /** Class name -> count of layers of that class, e.g. { Conv2D: 14, BatchNormalization: 27 }. */
  layerClasses: Record<string, number>;
  /** Prunable kernels in model order. */
  prunable: LayerSummary[];
  prunableParams: number;
  /** Has BatchNormalization layers (BN re-estimation applies). */
  hasBatchNorm: boolean;
  /** ONNX models: op_type -> node count of the imported graph (format is then "ONNX ..."). */
  onnxOps?: Record<string, number>;
  /** Preprocessing preset guessed from the model (editable). */
  suggestedPreprocess: Preprocess;
  warnings: string[];
}

/** What the engine understood of an image set. */
export interface DatasetSummary {
  /** Number of usable images. */
  count: number;
  /** Images that could not be used, with why. */
  skipped: InputProblem[];
  /** True when every image has a label. */
  labelled: boolean;
  /** Class index -> number of images, for labelled sets. */
  perClass: { classIndex: number; name: string; count: number }[];
  /** How labels were read: integer folder names, names matched to a class list, sorted names, or none. */
  labelSource: 'indices' | 'class-list' | 'sorted-names' | 'none';
  /** A few images after preprocessing, as RGBA pixels at the model's input size. */
  thumbnails: { path: string; width: number; height: number; rgba: Uint8ClampedArray; label: string | null }[];
  warnings: string[];
}

/** Backend in use and why. */
export interface BackendInfo {
  /** 'webgpu' | 'webgl' | 'wasm' | 'cpu' */
  name: string;
  /** GPU adapter description when known (vendor, architecture, "SwiftShader" for software). */
  adapter: string | null;
  /** Why this backend was chosen or why faster ones were skipped. */
  notes: string[];
  /** The start-up training probe: one entry per backend (webgpu, webgl, wasm, cpu), whether timed or not. */
  probes?: BackendProbe[];
  /** The backend the page asked for (?backend= or the override), or null when it was picked automatically. */
  requested?: string | null;
  /** When the probe figures were measured, if they come from an earlier start in this browser (ms since 1970). */
  probedAt?: number;
}

/** One backend's result in the start-up probe: a few training steps of a tiny convnet. */
export interface BackendProbe {
  /** 'webgpu' | 'webgl' | 'wasm' | 'cpu' */
  name: string;
  /**
   * measured: trained, `msPerStep` holds the figure; slow: its warm-up ran past the time budget;
   * failed: it did not start, compute or train; skipped: not tried (no adapter, not needed, another requested).
   */
  status: 'measured' | 'slow' | 'failed' | 'skipped';
  /** Median milliseconds per probe training step, when measured. */
  msPerStep: number | null;
  /** Milliseconds of the warm-up (forward pass + first step, shader compilation included), or as far as it got past the budget. */
  warmupMs: number | null;
  /** Why it was slow, failed or skipped (e.g. "no adapter"), or a remark on a measured one ("software adapter"). */
  detail: string | null;
}

/** Files produced by a finished run, ready to download or save. */
export interface RunArtifacts {
  /** The sparse model: model.json and one weight shard. */
  modelJson: string;
  weights: ArrayBuffer;
  /** Masks: JSON index of layers + one binary of packed bits. */
  masksJson: string;
  masks: ArrayBuffer;
  /** N:M runs: the N:M layers in the packed layout of docs/nm-packed-format.md. */
  nmPacked: ArrayBuffer | null;
  /** ONNX models: the original graph with the changed initializers written back (exact zeros). */
  onnx?: ArrayBuffer | null;
  /** The recipe: per-layer target/achieved sparsity, pattern, every setting, seed. */
  recipeJson: string;
  /** The full report (also as JSON text). */
  report: RunReport;
}

/** What the worker's TF.js holds (tf.memory()), read between runs to show nothing leaked. */
export interface WorkerMemory {
  backend: string;
  numTensors: number;
  /** Bytes of live tensor data, all backends. */
  numBytes: number;
  /** GPU memory the backend still has allocated (live plus pooled), when it reports it. */
  gpuBytesAllocated: number | null;
  /** Pooled GPU memory given back after the last run. */
  gpuBytesReleased: number;
}

export type { Preprocess };

/** `name` of the error a run rejects with when the GPU device was lost under it. */
export const DEVICE_LOST_ERROR = 'DeviceLost';
