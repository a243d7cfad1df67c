/**
 * Teachable Machine exports in the page: recognised by metadata.json beside model.json, their
 * labels and input convention taken from it, and the metadata kept so the sparse model can go
 * back as a Teachable Machine folder.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { parseTeachableMetadata, teachableMetadataPath, type TeachableMetadata } from '../../core/teachable/metadata';
import type { SourceFile } from './source-file';

/** metadata.json of the loaded model when it is a Teachable Machine export, else null. */
export const teachableModel = createStore<{ metadata: TeachableMetadata | null; modelName: string | null }>()(() => ({ metadata: null, modelName: null }));

export function setTeachableModel(metadata: TeachableMetadata | null, modelName: string | null): void {
  teachableModel.setState({ metadata, modelName });
}

export function useTeachableModel(): { metadata: TeachableMetadata | null; modelName: string | null } {
  return useStore(teachableModel);
}

/** The export's metadata when `files` hold one; throws naming metadata.json when it is unreadable. */
export async function readTeachable(files: SourceFile[]): Promise<TeachableMetadata | null> {
  const path = teachableMetadataPath(files.map((f) => f.path));
  const file = path ? files.find((f) => f.path === path) : undefined;
  return file ? parseTeachableMetadata(await file.blob.text(), file.path) : null;
}
