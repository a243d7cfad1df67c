/** What the page's buttons and drops do: fetch or collect files, then hand them to the worker client. */
import { EXAMPLES, validateOptions } from '../core/options';
import { fetchDemo, fetchMobileNet, MissingBuiltin } from './files/builtins';
import { parseClassList } from './files/class-list';
import { describeFiles, type SourceFile } from './files/source-file';
import { TEACHABLE_PREPROCESS, type TeachableMetadata } from '../core/teachable/metadata';
import { offersUnlabelled } from '../core/unlabelled';
import { readTeachable, setTeachableModel } from './files/teachable';
import { setUnlabelledOffer, type UnlabelledOffer } from './files/unlabelled-offer';
import { errorText } from './format';
import * as store from './store';
import { workerClient } from './worker-client';

export type Builtin = 'demo' | 'demo-2of4' | 'mobilenet';

/**
 * Loads a built-in model (and the demo's images); the images it does not bring are forgotten.
 * The demo examples also set their goal (90% unstructured, or 2:4) over the quick preset.
 */
export async function loadBuiltin(which: Builtin): Promise<void> {
  store.setNotice(null);
  const demo = which !== 'mobilenet';
  // Busy from the first download to the last image read, so nothing slips in between.
  const task = store.beginBusy(demo ? 'Downloading the CIFAR-10 demo…' : 'Downloading MobileNet v1 0.25…');
  try {
    const inputs = demo ? await fetchDemo() : await fetchMobileNet();
    if (which !== 'mobilenet') store.applyExample(EXAMPLES[which]);
    const images = inputs.images.length
      ? { files: inputs.images, source: `${inputs.name} images`, ...(inputs.classList ? { classList: inputs.classList } : {}) }
      : null;
    // The class names belong to the model too: images dropped on it later are matched to them.
    const ok = await workerClient().inputs.loadModel(
      { files: inputs.model, source: inputs.name, ...(inputs.classList ? { classList: inputs.classList } : {}) },
      { ...(inputs.preprocess ? { preprocess: inputs.preprocess } : {}), images },
    );
    if (ok) setTeachableModel(null, null);
  } catch (e) {
    if (e instanceof MissingBuiltin) store.setNotice(e.message);
    else store.reportError('model', errorText(e));
  } finally {
    store.endBusy(task);
  }
}

/**
 * Keeps what looks like a model: model.json and its weight shards, or an .onnx and its external
 * data. A Teachable Machine export (metadata.json beside model.json) brings its labels and input convention.
 */
export async function loadModelFiles(files: SourceFile[]): Promise<void> {
  if (files.length === 0) return;
  if (!files.some((f) => /(^|\/)[^/]*\.(json|onnx)$/i.test(f.path))) {
    store.reportError('model', `No model.json or .onnx file among the ${files.length} file(s) given: pick the folder with model.json and its weight shards, or an .onnx file (with its external data).`);
    return;
  }
  store.setNotice(null);
  let tm: TeachableMetadata | null;
  try {
    tm = await readTeachable(files);
  } catch (e) {
    store.reportError('model', `Could not load the model: ${errorText(e)}`);
    return;
  }
  const source = tm ? `Teachable Machine export, ${describeFiles(files)}` : describeFiles(files);
  const ok = await workerClient().inputs.loadModel({ files, source, ...(tm ? { classList: tm.labels } : {}) }, tm ? { preprocess: TEACHABLE_PREPROCESS } : {});
  if (ok) setTeachableModel(tm, tm ? (store.studio.getState().model?.name ?? null) : null);
}

/** Reads a folder of images; `unlabelled` ignores its folder names (they are not classes of the model). */
export async function loadImageFiles(files: SourceFile[], classList?: string[], unlabelled = false): Promise<void> {
  if (files.length === 0) return;
  store.setNotice(null);
  await workerClient().inputs.loadImages({ files, source: describeFiles(files), ...(classList ? { classList } : {}), ...(unlabelled ? { unlabelled } : {}) });
}

/** The one click the refusal offers: the same images again, unlabelled. */
export async function acceptUnlabelled(offer: UnlabelledOffer): Promise<void> {
  setUnlabelledOffer(null);
  for (const e of store.studio.getState().errors) if (offersUnlabelled(e.message)) store.dismissError(e.id);
  await loadImageFiles(offer.files, undefined, true);
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
    store.reportError('images', errorText(e));
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
