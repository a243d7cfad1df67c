/** The CLI's image and model inputs from disk, with messages that name the folders given. */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { NamedBytes } from '../core/session-types';
import { parseTeachableMetadata, TEACHABLE_PREPROCESS } from '../core/teachable/metadata';
import { emptyFolderMessage } from '../core/words/empty-input';
import type { Preprocess } from '../core/options';
import { readFolder } from '../node/files';
import type { PruneCommand } from './args';

/** Every file of an image folder; a clear Error when the folder is missing, not a folder, or empty. */
export async function readImageFolder(dir: string, flag: string): Promise<NamedBytes[]> {
  const info = await stat(resolve(dir)).catch(() => null);
  if (!info) throw new Error(`${dir} (${flag}): no such folder.`);
  if (!info.isDirectory()) throw new Error(`${dir} (${flag}): not a folder; give the folder that holds the images (class sub-folders give labels).`);
  const files = await readFolder(resolve(dir));
  if (files.length === 0) throw new Error(`${emptyFolderMessage(`${dir} (${flag})`, 'images')} Put JPEG, PNG or WebP images in it (class sub-folders give labels).`);
  return files;
}

/** Labels and preprocessing of a Teachable Machine export: metadata.json beside model.json, else null. */
export async function readTeachableLabels(modelJson: string): Promise<{ labels: string[]; preprocess: Preprocess } | null> {
  const path = join(dirname(modelJson), 'metadata.json');
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  return { labels: parseTeachableMetadata(text, path).labels, preprocess: TEACHABLE_PREPROCESS };
}

/**
 * Rewrites the engine's calib/ and eval/ (validation) prefixes in a message to the folders on the command
 * line, so every image-folder message names the folder the user gave.
 */
export function folderNamer(cmd: Pick<PruneCommand, 'images' | 'valImages'>): (message: string) => string {
  const strip = (d: string) => d.replace(/\/+$/, '');
  return (message) =>
    message
      .replace(/(^|[\s"'(])calib(?=[/:"'\s)]|$)/g, (_, pre: string) => pre + strip(cmd.images))
      .replace(/(^|[\s"'(])eval(?=[/:"'\s)]|$)/g, (_, pre: string) => pre + strip(cmd.valImages ?? 'eval'));
}
