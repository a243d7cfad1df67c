/** The independent PyTorch reference's checked-in numbers (scripts/reference/golden/*.json). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Test top-1 of the reference over its seeds: mean, lowest, highest. */
export interface GoldenTop1 {
  mean: number;
  min: number;
  max: number;
  seeds: number;
}

interface GoldenFile {
  cases: Record<string, { testTop1: { final: { mean: number; min: number; max: number; values: number[] } } }>;
}

const DIR = join(import.meta.dirname, '..', 'reference', 'golden');

/** The reference's returned-model test top-1 for a quality case (from any golden file), or null when it has none. */
export function goldenFor(caseId: string): GoldenTop1 | null {
  if (!existsSync(DIR)) return null;
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  const g = files.map((f) => (JSON.parse(readFileSync(join(DIR, f), 'utf8')) as GoldenFile).cases[caseId]).find((c) => c !== undefined);
  if (!g) return null;
  const f = g.testTop1.final;
  return { mean: f.mean, min: f.min, max: f.max, seeds: f.values.length };
}

/** The studio's own --preset paper test top-1 over several seeds (scripts/quality/studio-seeds.json). */
export interface StudioSeeds {
  values: number[];
  /** Half the range of the values: the studio's own draw noise around its mean. */
  halfRange: number;
}

const STUDIO_FILE = join(import.meta.dirname, 'studio-seeds.json');

/** The studio's measured seed spread for a quality case, or null when none was measured. */
export function studioSeedsFor(caseId: string): StudioSeeds | null {
  if (!existsSync(STUDIO_FILE)) return null;
  const c = (JSON.parse(readFileSync(STUDIO_FILE, 'utf8')) as { cases: Record<string, { testTop1: number[] }> }).cases[caseId];
  if (!c || c.testTop1.length < 2) return null;
  return { values: c.testTop1, halfRange: (Math.max(...c.testTop1) - Math.min(...c.testTop1)) / 2 };
}
