/** The result banner's sentence: which model came back and why, in the words of the run's verdict. */
import type { ReturnVerdict } from '../../core/metrics/verdict';
import { verdictReason } from '../run-verdict';

/** One sentence; its reason is the one the teaching notes give too. */
export function returnedSentence(v: ReturnVerdict): string {
  const model = v.returned === 'trained' ? 'The trained model was returned' : 'The one-shot model was returned';
  const reason = verdictReason(v);
  if (!v.best || !reason) return `${model}: training left no checkpoint scored on the validation images.`;
  const which = v.returned === 'trained' ? 'its best checkpoint' : "training's best checkpoint";
  return `${model}: ${which} on the validation images (step ${v.best.step}) ${reason}.`;
}
