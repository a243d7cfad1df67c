/** How the live run changes as it starts, resumes, finishes or stops: pure functions of the run before. */
import type { RunArtifacts } from '../core/session-types';
import type { RunRecord } from './persist/db';
import { idleRun, resumeFrom, type RunState } from './run-state';

/** A new run, or a saved run without a checkpoint that starts over under its own name. */
export function startedRun(id: string, modelName: string | null): RunState {
  return { ...idleRun, id, modelName, status: 'running', startedAt: Date.now() };
}

/** A saved run continued from its checkpoint at `step`: its charts go on from there. */
export function resumedRun(record: RunRecord, step: number): RunState {
  return resumeFrom({ ...record.state, artifacts: null, id: record.id, modelName: record.modelName }, step);
}

/** The run ended with its files. */
export function finishedRun(run: RunState, artifacts: RunArtifacts): RunState {
  const { report } = artifacts;
  return {
    ...run,
    status: 'done',
    artifacts,
    report,
    layers: report.layers,
    metrics: { dense: report.dense, oneShot: report.oneShot, final: report.final },
    endedAt: Date.now(),
  };
}

/** The run stopped without files. */
export function endedRun(run: RunState, status: 'failed' | 'cancelled' | 'interrupted', error: string | null): RunState {
  return { ...run, status, error, endedAt: Date.now() };
}
