/**
 * The start-up probe's figures, kept in this browser's IndexedDB so a reload does not time every
 * backend again (several seconds without a GPU). Keyed by browser and adapter: another GPU or
 * browser version measures afresh. Any storage problem just means measuring again.
 */
import { openDB, type DBSchema } from 'idb';
import type { BackendProbe } from '../src/core/session-types';

/** Figures older than this are measured again. */
export const PROBE_MAX_AGE_MS = 14 * 24 * 3600 * 1000;

/** A saved probe: which backend won and every backend's figures. */
export interface SavedProbe {
  key: string;
  chosen: string;
  probes: BackendProbe[];
  measuredAt: number;
}

interface ProbeDb extends DBSchema {
  probes: { key: string; value: SavedProbe };
}

/** Bumped when the probe network or its budget changes, so old figures are not compared to new ones. */
const PROBE_VERSION = 1;

const db = () =>
  openDB<ProbeDb>('pts-studio-probe', 1, {
    upgrade(d) {
      d.createObjectStore('probes', { keyPath: 'key' });
    },
  });

/** The key for this browser and adapter. */
export function probeKey(adapter: string | null): string {
  return `v${PROBE_VERSION}|${globalThis.navigator?.userAgent ?? ''}|${adapter ?? 'no WebGPU adapter'}`;
}

/** Fresh saved figures for `key`, or null. */
export async function readProbe(key: string, now = Date.now()): Promise<SavedProbe | null> {
  try {
    const saved = await (await db()).get('probes', key);
    return saved && now - saved.measuredAt < PROBE_MAX_AGE_MS ? saved : null;
  } catch {
    return null;
  }
}

export async function saveProbe(saved: SavedProbe): Promise<void> {
  try {
    await (await db()).put('probes', saved);
  } catch {
    // Not kept: the next start measures again.
  }
}
