/**
 * Files the user gave us, kept on the page as Blobs (cheap references, not bytes) so they can
 * be sent to the worker again after it restarts. Paths keep the folder structure: class
 * sub-folders are how images get their labels.
 */
import type { NamedBytes } from '../../core/session-types';

export interface SourceFile {
  /** Path relative to what was picked or dropped, '/'-separated. */
  path: string;
  blob: Blob;
}

/** Files from an <input type="file">; folder pickers fill `webkitRelativePath`. */
export function fromFileList(list: FileList | readonly File[]): SourceFile[] {
  return Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, blob: file }));
}

function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    // readEntries returns the listing in chunks; an empty chunk ends it.
    const next = () =>
      reader.readEntries((chunk) => {
        if (chunk.length === 0) resolve(all);
        else {
          all.push(...chunk);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, out: SourceFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: entry.fullPath.replace(/^\/+/, ''), blob: file });
  } else if (entry.isDirectory) {
    for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walk(child, out);
  }
}

/**
 * Files and folders of a drop, with their paths. Entries must be taken synchronously inside
 * the drop handler (the DataTransfer empties afterwards), hence the two steps.
 */
export function entriesOfDrop(dt: DataTransfer): { entries: FileSystemEntry[]; files: File[] } {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(dt.items)) {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry?.() : null;
    if (entry) entries.push(entry);
  }
  return { entries, files: Array.from(dt.files) };
}

/** Names of the folders a drop holds: all that is left to name when they hold no file. */
export function folderNamesOfDrop(drop: { entries: FileSystemEntry[] }): string[] {
  return drop.entries.filter((e) => e.isDirectory).map((e) => e.name);
}

export async function filesOfDrop(drop: { entries: FileSystemEntry[]; files: File[] }): Promise<SourceFile[]> {
  if (drop.entries.length === 0) return fromFileList(drop.files);
  const out: SourceFile[] = [];
  for (const entry of drop.entries) await walk(entry, out);
  return out;
}

/** Reads the bytes for one send to the worker; the buffers can be transferred. */
export async function toNamedBytes(files: readonly SourceFile[]): Promise<NamedBytes[]> {
  return Promise.all(files.map(async (f) => ({ path: f.path, bytes: await f.blob.arrayBuffer() })));
}

/** "3 files" / "model.json + 55 files" style summary of a selection. */
export function describeFiles(files: readonly SourceFile[]): string {
  const tops = new Set(files.map((f) => (f.path.includes('/') ? f.path.split('/')[0] : '')));
  const top = tops.size === 1 ? [...tops][0] : '';
  const where = top ? ` from ${top}/` : '';
  return `${files.length} file${files.length === 1 ? '' : 's'}${where}`;
}
