/**
 * The engine's stateful facade: holds the loaded model and images between calls. The worker
 * exposes exactly this over comlink; the CLI drives it directly.
 */
import type { ProgressCallback } from '../core/events';
import type { PruneOptions } from '../core/options';
import type { DatasetSummary, ModelSummary, NamedBytes, RunArtifacts } from '../core/session-types';
import type { ImageDecoder } from './data/types';

export interface SessionDeps {
  decode: ImageDecoder;
  /** Backend name reported in results (already initialised by the caller). */
  backend: string;
}

export class StudioSession {
  constructor(readonly deps: SessionDeps) {}

  /** Parses model.json + shards; replaces the current model only on success. */
  async loadModel(_files: NamedBytes[]): Promise<ModelSummary> {
    throw new Error('not implemented yet');
  }

  /**
   * Decodes and sizes images to the loaded model's input. Replaces the current image set only
   * on success. `classList` maps folder names to class indices when given.
   */
  async loadImages(_files: NamedBytes[], _classList?: string[]): Promise<DatasetSummary> {
    throw new Error('not implemented yet');
  }

  /** Runs the whole pipeline; rejects with an AbortError when `signal` fires. */
  async run(_options: PruneOptions, _onProgress: ProgressCallback, _signal: AbortSignal): Promise<RunArtifacts> {
    throw new Error('not implemented yet');
  }

  /** Frees every tensor the session holds. */
  dispose(): void {}
}
