/**
 * The one-click way out when image folders are not classes of the model: the refused images
 * are remembered here, and the inputs panel offers to load them unlabelled.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { SourceFile } from './source-file';

/** Images refused because their folder names are not classes of the model. */
export interface UnlabelledOffer {
  files: SourceFile[];
  source: string;
  /** The refusal, as shown in the error banner. */
  message: string;
}

export const unlabelledOffer = createStore<{ offer: UnlabelledOffer | null }>()(() => ({ offer: null }));

export function setUnlabelledOffer(offer: UnlabelledOffer | null): void {
  unlabelledOffer.setState({ offer });
}

export function useUnlabelledOffer(): UnlabelledOffer | null {
  return useStore(unlabelledOffer, (s) => s.offer);
}
