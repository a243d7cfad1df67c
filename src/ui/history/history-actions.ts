/** What the run history's buttons do. */
import { errorText } from '../format';
import { deleteRun, getArtifacts, getRun, recoverRuns } from '../persist/run-records';
import { fileStem, runZip, saveFile } from '../result/downloads';
import * as store from '../store';
import { workerClient } from '../worker-client';

/** At page start: reads the saved runs, marking those the last page left running as interrupted. */
export async function loadHistory(): Promise<void> {
  try {
    store.setRuns(await recoverRuns());
  } catch (e) {
    store.setRuns([]);
    store.setNotice(`Saved runs could not be read from this browser's storage (${errorText(e)}); new runs will not be kept.`);
  }
}

/** Shows a saved run in the studio: charts, result and downloads. */
export async function openSavedRun(id: string): Promise<void> {
  const status = store.studio.getState().run.status;
  if (status === 'running' || status === 'cancelling') {
    store.reportError('history', 'A run is in progress: wait for it or cancel it before opening another.');
    return;
  }
  const record = await getRun(id);
  if (!record) return;
  store.openRun(record, record.hasArtifacts ? ((await getArtifacts(id)) ?? null) : null);
}

/** Downloads everything a finished run produced, as one zip. */
export async function downloadSavedRun(id: string): Promise<void> {
  const [record, artifacts] = await Promise.all([getRun(id), getArtifacts(id)]);
  if (!record || !artifacts) {
    store.reportError('history', 'This run has no saved files to download.');
    return;
  }
  saveFile(`${fileStem(record.modelName, artifacts.report.targetSparsity)}-run.zip`, runZip(artifacts), 'application/zip');
}

export async function resumeSavedRun(id: string): Promise<void> {
  store.setView('studio');
  await workerClient().runs.resume(id);
}

export async function deleteSavedRun(id: string): Promise<void> {
  if (store.studio.getState().run.id === id && store.studio.getState().run.status === 'running') return;
  await deleteRun(id);
  await workerClient().runs.refreshRuns();
}
