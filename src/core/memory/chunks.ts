/**
 * How a training batch is split to keep a step's activations inside a memory limit: the
 * fewest equal chunks whose estimated activation memory fits. Pure arithmetic; the estimate of
 * bytes per image comes from the engine (engine/train/step-memory.ts).
 */
import { plural } from '../words/plural';

/** The split of one batch. */
export interface ChunkPlan {
  /** Images per forward/backward pass (the batch itself when it fits). */
  chunk: number;
  /** Passes per step. */
  passes: number;
  /** Estimated activation bytes of one pass. */
  bytes: number;
}

/**
 * The split of `batch` images of `bytesPerImage` each under `limitBytes` (0 or less: no
 * limit). A single image that does not fit still trains, one at a time.
 */
export function planChunks(batch: number, bytesPerImage: number, limitBytes: number): ChunkPlan {
  const b = Math.max(1, Math.floor(batch));
  const fits = limitBytes > 0 ? Math.max(1, Math.floor(limitBytes / Math.max(bytesPerImage, 1))) : b;
  const passes = Math.ceil(b / Math.min(b, fits));
  const chunk = Math.ceil(b / passes);
  return { chunk, passes, bytes: chunk * bytesPerImage };
}

/** The run's log line for a batch that `plan` splits (passes > 1). */
export function describeChunks(batch: number, plan: ChunkPlan, limitMB: number): string {
  const mb = Math.round(plan.bytes / 2 ** 20);
  return (
    `Training batch ${batch} would need about ${Math.round((batch * plan.bytes) / plan.chunk / 2 ** 20)} MB of activations per step, over the ${limitMB} MB step memory: ` +
    `each step runs ${plan.passes} chunks of up to ${plural(plan.chunk, 'image')} (about ${mb} MB each) and sums their gradients. ` +
    `The update is the batch's; BatchNorm statistics are per chunk.`
  );
}
