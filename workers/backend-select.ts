/**
 * Picks the TF.js backend that trains fastest here: each candidate (WebGPU when there is an
 * adapter, WebGL, wasm with the studio's gradient kernels) is started, smoke-tested, checked to
 * build masks exactly as the host reference does (masks/self-test.ts) and timed on a
 * few training steps of a tiny convnet; the fastest wins, CPU only when all of them fail. A
 * requested backend (?backend= or the page's override) is used as it is, and timed for the table.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { BACKENDS, fastestProbe, formatMs, pickNote, type BackendName } from '../src/core/backend-pick';
import type { BackendInfo, BackendProbe } from '../src/core/session-types';
import { maskSelfTest } from '../src/engine/masks/self-test';
import { probeTraining } from '../src/engine/probe/train-probe';
import { probeKey, readProbe, saveProbe } from './probe-cache';
import { prepareWasm, wasmThreadsText } from './wasm-setup';

/** The slice of the WebGPU API we read (the worker tsconfig carries no WebGPU typings). */
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}


/** Milliseconds the probe's warm-up may take on one backend before it counts as too slow. */
const PROBE_BUDGET_MS = 3000;
/**
 * Candidates in the order they are timed: wasm first, so the GPU work a cut-off warm-up leaves
 * queued (it still runs on the CPU with a software adapter) cannot slow its figure down.
 */
const PROBE_ORDER: readonly BackendName[] = ['wasm', 'webgl', 'webgpu'];

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "google swiftshader (software)" style text from an adapter's info. */
function describeAdapter(adapter: GpuAdapterLike): { text: string; software: boolean } {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((p): p is string => !!p);
  const text = parts.join(' ').trim() || 'unknown adapter';
  const software = /swiftshader|llvmpipe|software|lavapipe/i.test(text) || !!info.isFallbackAdapter || !!adapter.isFallbackAdapter;
  return { text: software ? `${text} (software)` : text, software };
}

/** The WebGPU adapter, or the reason there is none. */
async function findWebGpu(): Promise<{ text: string; software: boolean } | { missing: string }> {
  const gpu = (globalThis.navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return { missing: 'not available in this browser (navigator.gpu is missing; try a recent Chrome or Edge)' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { missing: 'the browser offered no GPU adapter (GPU blocklisted or disabled)' };
    return describeAdapter(adapter);
  } catch (e) {
    return { missing: `requesting an adapter failed: ${errorText(e)}` };
  }
}

/** Runs one tiny op and reads it back: a backend that registers but cannot compute is skipped. */
async function smokeTest(): Promise<void> {
  const t = tf.tidy(() => tf.matMul(tf.ones([4, 4]), tf.ones([4, 4])).sum());
  try {
    const [v] = await t.data();
    if (v !== 64) throw new Error(`smoke test returned ${v}, expected 64`);
  } finally {
    t.dispose();
  }
}

/** Makes `name` current and checks it computes and builds masks right; the problem, or null. Throws on errors. */
async function startBackend(name: BackendName): Promise<string | null> {
  if (name === 'wasm') prepareWasm();
  if (!(await tf.setBackend(name))) return 'failed to initialise in this browser';
  await tf.ready();
  await smokeTest();
  const masks = await maskSelfTest();
  return masks ? `masks wrong: ${masks}` : null;
}

/** Starts `name`, checks it and times the probe on it; `remark` annotates a measured figure. */
async function tryBackend(name: BackendName, remark: string | null): Promise<BackendProbe> {
  const failed = (detail: string): BackendProbe => ({ name, status: 'failed', msPerStep: null, warmupMs: null, detail });
  try {
    const problem = await startBackend(name);
    if (problem) return failed(problem);
    // wasm says how it runs (threads need a cross-origin isolated page).
    remark = [name === 'wasm' ? wasmThreadsText() : null, remark].filter((r) => !!r).join('; ') || null;
    const r = await probeTraining({ budgetMs: PROBE_BUDGET_MS });
    if (r.problem !== null) return { ...failed(`could not train: ${r.problem}`), warmupMs: r.warmupMs };
    if (r.msPerStep === null) {
      const detail = `warm-up past the ${formatMs(PROBE_BUDGET_MS)} ms budget${remark ? `; ${remark}` : ''}`;
      return { name, status: 'slow', msPerStep: null, warmupMs: r.warmupMs, detail };
    }
    return { name, status: 'measured', msPerStep: r.msPerStep, warmupMs: r.warmupMs, detail: remark };
  } catch (e) {
    return failed(errorText(e));
  }
}

/** Starts the backend an earlier probe in this browser picked; null when there is none or it fails now. */
async function fromSavedProbe(key: string, notes: string[]): Promise<BackendInfo | null> {
  const saved = await readProbe(key);
  const name = BACKENDS.find((b) => b === saved?.chosen);
  if (!saved || !name) return null;
  try {
    if (await startBackend(name)) return null;
  } catch {
    return null;
  }
  const chosen = saved.probes.find((p) => p.name === name);
  if (chosen) notes.push(pickNote(chosen, saved.probes, false));
  notes.push(`Figures from this browser's probe of ${new Date(saved.measuredAt).toLocaleString()}; "Measure again" in the header times the backends afresh.`);
  return { name, adapter: null, notes, probes: saved.probes, requested: null, probedAt: saved.measuredAt };
}

const skipped = (name: BackendName, detail: string): BackendProbe => ({ name, status: 'skipped', msPerStep: null, warmupMs: null, detail });

/**
 * Uses `prefer` when it names a backend that works; otherwise times every candidate and takes the
 * fastest. The result carries the figures of each backend and notes that say why.
 */
export async function selectBackend(prefer?: string | null, options: { remeasure?: boolean } = {}): Promise<BackendInfo> {
  const notes: string[] = [];
  const gpu = await findWebGpu();
  const adapter = 'missing' in gpu ? null : gpu;
  if ('missing' in gpu) notes.push(`WebGPU: ${gpu.missing}.`);
  else if (gpu.software) notes.push('WebGPU runs on a software adapter (no GPU in use): expect it to be slow.');
  const requested = BACKENDS.find((b) => b === prefer) ?? null;
  if (prefer && !requested) notes.push(`Unknown backend "${prefer}" requested; use one of ${BACKENDS.join(', ')}.`);
  const key = probeKey(adapter?.text ?? null);
  const cached = requested || options.remeasure ? null : await fromSavedProbe(key, notes);
  if (cached) return { ...cached, adapter: cached.name === 'webgpu' ? (adapter?.text ?? null) : null };

  const results = new Map<BackendName, BackendProbe>();
  const attempt = async (name: BackendName): Promise<BackendProbe> => {
    const probe =
      name === 'webgpu' && !adapter
        ? skipped(name, 'gpu' in globalThis.navigator ? 'no adapter' : 'not in this browser')
        : await tryBackend(name, name === 'webgpu' && adapter?.software ? 'software adapter' : null);
    results.set(name, probe);
    return probe;
  };

  let chosen: BackendProbe | null = null;
  if (requested) {
    const probe = await attempt(requested);
    if (probe.status === 'measured' || probe.status === 'slow') chosen = probe;
    else notes.push(`${requested} was requested but ${probe.status === 'skipped' ? 'is unavailable' : 'failed'} (${probe.detail}); picking another.`);
  }
  if (!chosen) {
    for (const name of PROBE_ORDER) if (!results.has(name)) await attempt(name);
    chosen = fastestProbe([...results.values()]) ?? (await attempt('cpu'));
    if (chosen.status === 'failed' || chosen.status === 'skipped') {
      throw new Error(`No TF.js backend works here: ${[...results.values()].map((p) => `${p.name}: ${p.detail}`).join('; ')}`);
    }
  }
  const asked = chosen.name === requested;
  const probes = BACKENDS.map(
    (name) => results.get(name) ?? skipped(name, asked ? `not timed: ${requested} was requested` : 'not needed: used only when the others fail'),
  );
  notes.push(pickNote(chosen, probes, asked));
  if (chosen.name === 'cpu') notes.push('Training on cpu is slow.');

  // The probes left the last one tried current; switch to the pick and free the others' devices.
  await tf.setBackend(chosen.name);
  await tf.ready();
  for (const p of probes) {
    if (p.name === chosen.name || p.status === 'skipped') continue;
    try {
      tf.removeBackend(p.name);
    } catch {
      // Best effort: a backend that cannot be torn down only keeps its memory.
    }
  }
  if (!requested) await saveProbe({ key, chosen: chosen.name, probes, measuredAt: Date.now() });
  return { name: chosen.name, adapter: chosen.name === 'webgpu' ? (adapter?.text ?? null) : null, notes, probes, requested };
}
