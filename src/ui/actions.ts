/** What the page's buttons and drops do: fetch or collect files, then hand them to the worker client. */
import { validateOptions } from '../core/options';
import { fetchDemo, fetchMobileNet, MissingBuiltin } from './files/builtins';
import { parseClassList } from './files/class-list';
import { describeFiles, type SourceFile } from './files/source-file';
import { errorText } from './format';
import * as store from './store';
import { workerClient } from './worker-client';

export type Builtin = 'demo' | 'mobilenet';

/** Loads a built-in model (and the demo's images); the images it does not bring are forgotten. */
export async function loadBuiltin(which: Builtin): Promise<void> {
  store.setNotice(null);
  // Busy from the first download to the last image read, so nothing slips in between.
  const task = store.beginBusy(which === 'demo' ? 'Downloading the CIFAR-10 demo…' : 'Downloading MobileNet v1 0.25…');
  try {
    const inputs = which === 'demo' ? await fetchDemo() : await fetchMobileNet();
    const images = inputs.images.length
      ? { files: inputs.images, source: `${inputs.name} images`, ...(inputs.classList ? { classList: inputs.classList } : {}) }
      : null;
    // The class names belong to the model too: images dropped on it later are matched to them.
    await workerClient().inputs.loadModel(
      { files: inputs.model, source: inputs.name, ...(inputs.classList ? { classList: inputs.classList } : {}) },
      { ...(inputs.preprocess ? { preprocess: inputs.preprocess } : {}), images },
    );
  } catch (e) {
    if (e instanceof MissingBuiltin) store.setNotice(e.message);
    else store.reportError(errorText(e));
  } finally {
    store.endBusy(task);
  }
}

/** Keeps what looks like a model: model.json and its weight shards, or an .onnx and its external data. */
export async function loadModelFiles(files: SourceFile[]): Promise<void> {
  if (files.length === 0) return;
  if (!files.some((f) => /(^|\/)[^/]*\.(json|onnx)$/i.test(f.path))) {
    store.reportError(`No model.json or .onnx file among the ${files.length} file(s) given: pick the folder with model.json and its weight shards, or an .onnx file (with its external data).`);
    return;
  }
  store.setNotice(null);
  await workerClient().inputs.loadModel({ files, source: describeFiles(files) });
}

export async function loadImageFiles(files: SourceFile[], classList?: string[]): Promise<void> {
  if (files.length === 0) return;
  store.setNotice(null);
  await workerClient().inputs.loadImages({ files, source: describeFiles(files), ...(classList ? { classList } : {}) });
}

/** Test images (scored once at the end, choosing nothing); null forgets them. */
export async function loadTestFiles(files: SourceFile[] | null, classList?: string[]): Promise<void> {
  if (files && files.length === 0) return;
  store.setNotice(null);
  await workerClient().inputs.loadTestImages(files ? { files, source: describeFiles(files), ...(classList ? { classList } : {}) } : null);
}

/** Reads a class-list file and applies it to the loaded images; returns the list, or null on error. */
export async function loadClassList(file: File): Promise<string[] | null> {
  try {
    const list = parseClassList(await file.text(), file.name);
    await workerClient().inputs.setClassList(list);
    return list;
  } catch (e) {
    store.reportError(errorText(e));
    return null;
  }
}

export function startRun(): void {
  const { options, model, dataset } = store.studio.getState();
  const problems = validateOptions(options);
  if (problems.length > 0 || !model || !dataset) return;
  void workerClient().runs.run(options);
}

export function cancelRun(): void {
  workerClient().runs.cancel();
}

/** Restarts the worker on `name` (null: the fastest in the start-up probe), keeping what was loaded. */
export function chooseBackend(name: string | null, measureAgain = false): void {
  store.setNotice(null);
  workerClient().life.useBackend(name, measureAgain);
}
