/** Out-of-memory failures, told plainly: what ran out, where, and what to change. */

/** What the wasm runtime, V8 and XNNPACK say when memory runs out. */
const OUT_OF_MEMORY = /Aborted\(|out of memory|Array buffer allocation failed|Cannot enlarge memory|XNN status .* Got status 6|WebAssembly\.Memory|RangeError: (Invalid typed array length|Array buffer)/i;

export function isOutOfMemory(e: unknown): boolean {
  const text = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  return OUT_OF_MEMORY.test(text);
}

/** Where the run was when it failed, from its progress events. */
export interface RunPosition {
  phase: string | null;
  step: number | null;
}

/** The message for a run that ran out of memory; `saved` says whether a checkpoint exists. */
export function outOfMemoryMessage(where: RunPosition, batch: number, out: string, saved: boolean): string {
  const at = where.phase === 'dst' && where.step !== null ? `in training, at step ${where.step + 1}` : `in the ${where.phase ?? 'first'} phase`;
  const smaller = Math.max(1, Math.floor(batch / 2));
  const next = saved
    ? `The search result and the one-shot model are saved in ${out} (checkpoint.v8). Continue without repeating the search: npx pts-studio prune --resume ${out} --batch ${smaller}`
    : `Nothing was saved yet (the one-shot phase had not ended). Run again with --batch ${smaller} or fewer images (--calib-count).`;
  return `ran out of memory ${at} with batch ${batch} (the wasm heap, at most 4 GB, or the process). ${next}`;
}
