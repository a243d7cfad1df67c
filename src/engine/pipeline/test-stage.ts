import type * as tf from '@tensorflow/tfjs';
import type { Metrics, TestScores } from '../../core/events';
import type { Dataset } from '../data/types';
import { evaluate, predictLogits } from '../eval/evaluate';
import { evalBatch, recalibrate, type RunContext } from './context';
import type { LayerTarget } from './plan';
import { applyOneShotMasks } from './search-stage';
import { restore } from './weights';

/**
 * Scores the dense, one-shot and returned models once on the test images. Nothing reads these
 * scores back: the checkpoint and the fallback were chosen before, on validation images. With
 * `uniform`, the one-shot model at the uniform distribution is scored too (the search's baseline).
 * Leaves the model holding `returned`.
 */
export async function scoreTest(
  ctx: RunContext,
  test: Dataset,
  oneShot: tf.Tensor[],
  returned: tf.Tensor[],
  uniform: { targets: LayerTarget[]; sparsities: number[] } | null,
): Promise<TestScores> {
  const o = ctx.options;
  const all = Array.from({ length: test.count }, (_, i) => i);
  const batch = evalBatch(ctx);
  const denseLogits = await predictLogits(ctx.teacherLogits, test, all, o.preprocess, batch, ctx.signal);
  const score = (f: typeof ctx.logits) => evaluate(f, test, all, denseLogits, ctx.classes, o.preprocess, batch, ctx.signal);
  const dense = await score(ctx.teacherLogits);
  restore(ctx.model, oneShot);
  const oneShotScores = await score(ctx.logits);
  let oneShotUniform: Metrics | undefined;
  if (uniform) {
    applyOneShotMasks(ctx, uniform.targets, uniform.sparsities);
    await recalibrate(ctx, o.seed + 31);
    oneShotUniform = await score(ctx.logits);
  }
  restore(ctx.model, returned);
  const final = await score(ctx.logits);
  return { dense, oneShot: oneShotScores, final, ...(oneShotUniform ? { oneShotUniform } : {}) };
}
