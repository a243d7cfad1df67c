/**
 * Teaching mode: live sentences beside the charts, the phases and the result. Its own small
 * store (on by default, since the page opens on the demo); the header's toggle flips it.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

export const teachingMode = createStore<{ on: boolean }>()(() => ({
  on: new URLSearchParams(globalThis.location?.search ?? '').get('teaching') !== 'off',
}));

/** Whether teaching mode is on (re-renders when it flips). */
export function useTeaching(): boolean {
  return useStore(teachingMode, (s) => s.on);
}

export function setTeaching(on: boolean): void {
  teachingMode.setState({ on });
}
