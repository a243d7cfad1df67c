import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../core/session-types';
import { labelsGoStale, relabelMessage } from './relabel';

const CIFAR = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const WASTE = ['Battery', 'biological', 'brown-glass', 'cardboard', 'clothes', 'green-glass', 'metal', 'paper', 'plastic', 'shoes', 'trash', 'white-glass'];

function summary(labelled: boolean, perClass: [number, string, number][] = []): DatasetSummary {
  return {
    count: labelled ? perClass.reduce((a, c) => a + c[2], 0) : 300,
    skipped: [],
    labelled,
    perClass: perClass.map(([classIndex, name, count]) => ({ classIndex, name, count })),
    labelSource: labelled ? 'indices' : 'none',
    thumbnails: [],
    warnings: [],
  };
}

describe('images and labels stay consistent across a model change', () => {
  const demo = summary(true, CIFAR.map((n, i) => [i, n, 30]));

  it('labels of the previous model\'s classes go stale under a model with other classes', () => {
    expect(labelsGoStale(demo, CIFAR, WASTE)).toBe(true);
    expect(labelsGoStale(demo, CIFAR, undefined)).toBe(true);
    expect(labelsGoStale(demo, CIFAR, [...CIFAR])).toBe(false);
    // Labels by folder index with no class names known: kept, and re-checked by the engine.
    expect(labelsGoStale(demo, undefined, WASTE)).toBe(false);
    expect(labelsGoStale(summary(false), CIFAR, WASTE)).toBe(false);
    expect(labelsGoStale(null, CIFAR, WASTE)).toBe(false);
  });

  it('says what changed: labels dropped, or read as other classes; nothing when nothing changed', () => {
    const dropped = relabelMessage(demo, summary(false), 'CIFAR-10 demo images', { name: 'waste', classes: WASTE }, CIFAR);
    expect(dropped).toBe(
      "The 300 images (CIFAR-10 demo images) were labelled with the previous model's classes (airplane, automobile, bird, …); waste's classes are Battery, biological, brown-glass, …, " +
        'so they are now unlabelled and scored by agreement with the dense model. Load images in folders named after its classes to score accuracy.',
    );
    const renamed = relabelMessage(summary(true, [[0, '0', 5], [1, '1', 5]]), summary(true, [[0, 'tench', 5], [1, 'goldfish', 5]]), 'photos', { name: 'net', classes: null }, null);
    expect(renamed).toBe('The 10 images (photos) were checked against net: their folders now read as 2 of its classes (tench, goldfish).');
    expect(relabelMessage(demo, demo, 'x', { name: 'same', classes: CIFAR }, CIFAR)).toBeNull();
    // One image is "1 image", and the verbs follow.
    expect(relabelMessage(summary(true, [[0, '0', 1]]), summary(true, [[0, 'tench', 1]]), 'photo', { name: 'net', classes: null }, null)).toBe(
      'The 1 image (photo) was checked against net: its folder now reads as 1 of its classes (tench).',
    );
    expect(relabelMessage(summary(true, [[0, 'cat', 1]]), { ...summary(false), count: 1 }, 'photo', { name: 'net', classes: null }, ['cat'])).toMatch(
      /^The 1 image \(photo\) was labelled with the previous model's classes \(cat\); net has other classes, so it is now unlabelled/,
    );
  });
});
