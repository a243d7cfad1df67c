/**
 * Images and labels stay consistent when the model changes: the loaded images are read again
 * for the new model, and labels that meant another model's classes are not kept. Pure.
 */
import type { DatasetSummary } from '../../core/session-types';
import { plural } from '../../core/words/plural';

/** Same class names in the same order. */
function sameClasses(a: readonly string[] | null | undefined, b: readonly string[] | null | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((n, i) => n === b[i]);
}

/**
 * True when the images' labels were the previous model's classes and the new model's classes
 * are different ones: read again, they would score the new model against the old labels.
 */
export function labelsGoStale(
  images: DatasetSummary | null,
  previousClasses: readonly string[] | null | undefined,
  nextClasses: readonly string[] | null | undefined,
): boolean {
  return !!images?.labelled && !!previousClasses && !sameClasses(previousClasses, nextClasses);
}

function names(list: readonly string[], max = 3): string {
  const shown = list.slice(0, max).join(', ');
  return list.length > max ? `${shown}, …` : shown;
}

/**
 * What changed for the loaded images when a model came in, in one or two sentences; null when
 * nothing did. `before` and `after` are the image set under the old and the new model.
 */
export function relabelMessage(
  before: DatasetSummary | null,
  after: DatasetSummary | null,
  source: string,
  model: { name: string; classes: readonly string[] | null | undefined },
  previousClasses: readonly string[] | null | undefined,
): string | null {
  if (!before || !after) return null;
  if (before.labelled && !after.labelled) {
    const was = previousClasses ? ` with the previous model's classes (${names(previousClasses)})` : '';
    const now = model.classes ? `${model.name}'s classes are ${names(model.classes)}` : `${model.name} has other classes`;
    const [were, they] = after.count === 1 ? ['was', 'it is'] : ['were', 'they are'];
    return (
      `The ${plural(after.count, 'image')} (${source}) ${were} labelled${was}; ${now}, so ${they} now unlabelled and scored by agreement with the dense model. ` +
      'Load images in folders named after its classes to score accuracy.'
    );
  }
  const key = (s: DatasetSummary) => s.perClass.map((c) => `${c.classIndex}:${c.name}:${c.count}`).join('|');
  if (before.labelled && after.labelled && key(before) !== key(after)) {
    const [were, folders] = after.count === 1 ? ['was', 'its folder now reads'] : ['were', 'their folders now read'];
    return `The ${plural(after.count, 'image')} (${source}) ${were} checked against ${model.name}: ${folders} as ${after.perClass.length} of its classes (${names(after.perClass.map((c) => c.name))}).`;
  }
  if (after.count !== before.count) return `The images (${source}) were read again for ${model.name}: ${after.count} usable (before: ${before.count}).`;
  return null;
}
