/**
 * Labels from folder names: integer names are class indices, other names are matched against
 * a class list (classes.txt), and failing that, sorted folder order is assumed (with a warning).
 */
import type { InputProblem } from '../../core/session-types';
import { UNLABELLED_HINT } from '../../core/unlabelled';
import { plural } from '../../core/words/plural';
import { InputError } from '../errors';
import { baseName, dirName } from '../paths';

/** How each image is labelled, and what the user should be told about it. */
export interface LabelPlan {
  /** Class index per image; null for unlabelled images or images left out (see `leftOut`). */
  labels: (number | null)[];
  /** True for images in folders that match no class (not decoded at all). */
  leftOut: boolean[];
  source: 'indices' | 'class-list' | 'sorted-names' | 'none';
  /** Class names by index when known. */
  classNames: string[] | null;
  /** Folder name per class index actually used (for summaries). */
  folderOf: Map<number, string>;
  problems: InputProblem[];
  warnings: string[];
}

/** Class names from classes.txt: line i = class i (blank trailing lines dropped). */
export function parseClassList(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Lower-case lookup from every comma-separated name of every class to its index (first wins). */
function classLookup(classList: string[]): Map<string, number> {
  const map = new Map<string, number>();
  classList.forEach((line, i) => {
    for (const name of [line, ...line.split(',')]) {
      const key = canon(name);
      if (key !== '' && !map.has(key)) map.set(key, i);
    }
  });
  return map;
}

/** Case-insensitive, with '_' and '-' read as spaces (folder names often cannot hold spaces). */
function canon(name: string): string {
  return name.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ');
}

function listNames(names: string[], max = 6): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Every one of `count` images unlabelled: folder names are not read as classes. */
export function unlabelledPlan(count: number): LabelPlan {
  return {
    labels: Array.from({ length: count }, () => null),
    leftOut: Array.from({ length: count }, () => false),
    source: 'none',
    classNames: null,
    folderOf: new Map(),
    problems: [],
    warnings: [],
  };
}


/**
 * Works out labels for images at `paths` (normalised, relative to the image folder; `where` names
 * that folder in messages).
 */
export function planLabels(paths: string[], numClasses: number, classList: string[] | null, where = 'images'): LabelPlan {
  const dirs = paths.map(dirName);
  const segs = dirs.map((d) => (d === '' ? [] : d.split('/')));
  let common = segs[0]?.length ?? 0;
  for (const s of segs) {
    while (common > 0 && s.slice(0, common).join('/') !== (segs[0] ?? []).slice(0, common).join('/')) common--;
  }
  const root = (segs[0] ?? []).slice(0, common).join('/');
  const plan: LabelPlan = {
    labels: paths.map(() => null),
    leftOut: paths.map(() => false),
    source: 'none',
    classNames: classList,
    folderOf: new Map(),
    problems: [],
    warnings: [],
  };
  const inRoot = dirs.filter((d) => d === root).length;
  // Every image in one folder: that folder is the drop itself unless its name is a class.
  const single = inRoot === paths.length;
  const folderName = (i: number) => baseName(dirs[i] ?? '');
  if (single) {
    const name = baseName(root);
    const lookup = classList ? classLookup(classList) : null;
    const idx = /^\d+$/.test(name) && Number(name) < numClasses ? Number(name) : lookup?.get(canon(name));
    if (root === '' || idx === undefined) return plan;
    plan.warnings.push(`All images are in one folder, "${name}", read as class ${idx}: the set has a single class.`);
    plan.labels = paths.map(() => idx);
    plan.source = /^\d+$/.test(name) ? 'indices' : 'class-list';
    plan.folderOf.set(idx, name);
    return plan;
  }
  if (inRoot > 0) {
    plan.warnings.push(
      `${inRoot} image(s) sit directly in ${root === '' ? `"${where}"` : `"${root}"`} and ${paths.length - inRoot} in class folders; ` +
        'labels are ignored (unlabelled set). Put every image in a class folder to use labels.',
    );
    return plan;
  }
  const names = [...new Set(paths.map((_, i) => folderName(i)))].sort();
  const folderPath = (name: string) => dirs[paths.findIndex((_, i) => folderName(i) === name)] ?? name;
  const byName = new Map<string, number>();
  if (names.every((n) => /^\d+$/.test(n))) {
    const bad = names.filter((n) => Number(n) >= numClasses);
    if (bad.length > 0) {
      throw new InputError(
        folderPath(bad[0]!),
        `${folderPath(bad[0]!)}: folder name ${listNames(bad)} reads as a class index, but the model has ${plural(numClasses, 'class')} ` +
          `(0..${numClasses - 1}). Rename the folder to a valid class index${classList ? ' or class name' : ''}, ${UNLABELLED_HINT}.`,
      );
    }
    for (const n of names) byName.set(n, Number(n));
    plan.source = 'indices';
  } else {
    const lookup = classList ? classLookup(classList) : null;
    const matched = lookup ? names.filter((n) => lookup.has(canon(n))) : [];
    const unmatched = names.filter((n) => !matched.includes(n));
    if (lookup && matched.length > 0) {
      for (const n of matched) byName.set(n, lookup.get(canon(n))!);
      plan.source = 'class-list';
      for (const n of unmatched) {
        const count = paths.filter((_, i) => folderName(i) === n).length;
        plan.problems.push({
          file: folderPath(n),
          message: `${folderPath(n)}: folder name "${n}" matches no class in the class list; its ${count} image(s) are left out. Rename the folder to a class name or index.`,
        });
      }
      if (unmatched.length > 0) plan.warnings.push(`Folders matching no class in the class list were left out: ${listNames(unmatched)}.`);
    } else {
      if (names.length > numClasses) {
        throw new InputError(
          root === '' ? where : root,
          `${root === '' ? where : root}: ${names.length} class folders but the model has ${plural(numClasses, 'class')}. Name folders by class index (0..${numClasses - 1})` +
            `${classList ? '' : ' or add a classes.txt'}, ${UNLABELLED_HINT}.`,
        );
      }
      names.forEach((n, i) => byName.set(n, i));
      plan.source = 'sorted-names';
      const none = lookup ? `No folder name matches the class list (${listNames(names)}); ` : '';
      plan.warnings.push(
        `${none}labels are assumed to follow sorted folder order: ${names.slice(0, 3).map((n, i) => `"${n}" = ${i}`).join(', ')}` +
          `${names.length > 3 ? ', ...' : ''}. Name folders by class index or add a classes.txt if that is wrong.`,
      );
      if (!lookup) plan.classNames = names;
    }
  }
  paths.forEach((_, i) => {
    const idx = byName.get(folderName(i));
    plan.labels[i] = idx ?? null;
    plan.leftOut[i] = idx === undefined;
    if (idx !== undefined && !plan.folderOf.has(idx)) plan.folderOf.set(idx, folderName(i));
  });
  return plan;
}
