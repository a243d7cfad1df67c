/**
 * What is said of inputs that hold nothing: an empty folder given as images or as a model, and a
 * file of zero bytes. Shared by the page and the CLI so both say it the same way.
 */

/** What a folder was given as. */
export type FolderRole = 'images' | 'model';

const MISSING: Record<FolderRole, string> = {
  images: 'no images in it',
  model: 'no model.json or .onnx in it',
};

/** "The folder holiday is empty: no images in it." `folder` null: a picked folder whose name the browser does not give. */
export function emptyFolderMessage(folder: string | null, role: FolderRole): string {
  return `${folder === null ? 'The chosen folder' : `The folder ${folder}`} is empty: ${MISSING[role]}.`;
}

/** "cat/image.png: the file is empty (0 bytes)." */
export function emptyFileMessage(path: string): string {
  return `${path}: the file is empty (0 bytes)`;
}
