/**
 * The model and images the user loaded, kept on the page so a fresh worker gets the same ones
 * again, and so a run can save them for a later resume.
 */
import * as Comlink from 'comlink';
import { fingerprint } from '../../core/checkpoint';
import type { Preprocess } from '../../core/options';
import type { Api } from '../../../workers/studio.worker';
import { toNamedBytes, type SourceFile } from '../files/source-file';
import { offersUnlabelled } from '../../core/unlabelled';
import { labelsGoStale, relabelMessage } from '../files/relabel';
import { setUnlabelledOffer } from '../files/unlabelled-offer';
import { errorText } from '../format';
import type { SavedInputs } from '../persist/db';
import * as store from '../store';
import { WorkerGone } from './connection';
import type { WorkerLife } from './worker-life';

/** Files of one load, as the user gave them. */
export interface Inputs {
  /** The files, with their paths inside what was dropped or picked. */
  files: SourceFile[];
  /** Shown in the UI: where the files came from. */
  source: string;
  /** Class names: for images, the list to match folder names to; for a model, its own (used when images bring none). */
  classList?: string[];
  /** Images only: read without labels (folder names ignored). */
  unlabelled?: boolean;
}

function transferable(files: Awaited<ReturnType<typeof toNamedBytes>>) {
  return Comlink.transfer(files, files.map((f) => f.bytes));
}

export class LoadedInputs {
  private model: Inputs | null = null;
  private images: Inputs | null = null;
  /** Test images: sent with every model load, never saved with a run (they choose nothing). */
  private test: Inputs | null = null;

  constructor(private readonly life: WorkerLife) {}

  /** Sends the last model and images to a fresh worker; false when no model was loaded. */
  resend(): boolean {
    if (!this.model) return false;
    void this.loadModel(this.model, { preprocess: store.studio.getState().options.preprocess });
    return true;
  }

  /**
   * Loads model.json + shards, then reads the images again for the new input size: the
   * current ones by default, `next.images` when given (null forgets them). One queued task, so
   * no other load can slip between the model and its images.
   */
  async loadModel(inputs: Inputs, next: { preprocess?: Preprocess; images?: Inputs | null } = {}): Promise<boolean> {
    try {
      return await this.life.call(`Reading the model (${inputs.source})…`, async (api, task) => {
        const summary = await api.loadModel(transferable(await toNamedBytes(inputs.files)));
        const previous = this.model;
        this.model = inputs;
        store.setModel(summary, inputs.source, next.preprocess);
        const images = next.images === undefined ? this.images : next.images;
        const before = store.studio.getState().dataset;
        this.images = null;
        store.setDataset(null, null);
        // Images kept from before are checked against the new model; labels of another model's classes go.
        const kept = next.images === undefined;
        const stale = kept && labelsGoStale(before, previous?.classList, inputs.classList);
        if (images && (await this.readImages(api, stale ? { ...images, unlabelled: true } : images, task)) && kept) {
          const change = relabelMessage(before, store.studio.getState().dataset, images.source, { name: summary.name, classes: inputs.classList }, previous?.classList);
          if (change) store.setNotice(change);
        }
        const test = this.test;
        this.test = null;
        store.setTestSet(null, null);
        if (test) await this.readTest(api, test);
        return true;
      });
    } catch (e) {
      if (!(e instanceof WorkerGone)) store.reportError('model', `Could not load the model: ${errorText(e)}`);
      return false;
    }
  }

  /** Images wait for a model when none is loaded yet (they are sized to its input). */
  async loadImages(inputs: Inputs): Promise<boolean> {
    if (!this.model) {
      this.images = inputs;
      store.setDataset(null, `${inputs.source} (waiting for a model)`);
      return false;
    }
    try {
      return await this.life.call(`Reading images (${inputs.source})…`, (api, task) => this.readImages(api, inputs, task));
    } catch (e) {
      if (!(e instanceof WorkerGone)) throw e;
      return false;
    }
  }

  /** Test images wait for a model like calibration images do. */
  async loadTestImages(inputs: Inputs | null): Promise<boolean> {
    if (!inputs) {
      this.test = null;
      store.setTestSet(null, null);
      await this.life.call('Forgetting the test images…', (api) => api.clearTestImages()).catch(() => undefined);
      return true;
    }
    if (!this.model) {
      this.test = inputs;
      store.setTestSet(null, `${inputs.source} (waiting for a model)`);
      return false;
    }
    try {
      return await this.life.call(`Reading test images (${inputs.source})…`, (api) => this.readTest(api, inputs));
    } catch (e) {
      if (!(e instanceof WorkerGone)) throw e;
      return false;
    }
  }

  private async readTest(api: Comlink.Remote<Api>, inputs: Inputs): Promise<boolean> {
    try {
      const classList = inputs.classList ?? this.images?.classList ?? this.model?.classList;
      const summary = await api.loadTestImages(transferable(await toNamedBytes(inputs.files)), classList);
      this.test = inputs;
      store.setTestSet(summary, inputs.source);
      return true;
    } catch (e) {
      store.reportError('test-images', `Could not load the test images: ${errorText(e)}`);
      return false;
    }
  }

  /** Reads the current images again with a class list (folder names -> class indices). */
  async setClassList(classList: string[] | undefined): Promise<void> {
    if (this.images) await this.loadImages({ ...this.images, classList });
  }

  /** Sends images to the worker; an error is reported here and leaves the last good set in place. */
  private async readImages(api: Comlink.Remote<Api>, inputs: Inputs, task: number | null): Promise<boolean> {
    const label = `Reading images (${inputs.source})…`;
    let live = true; // progress messages can arrive after the result; ignore those
    const onProgress = Comlink.proxy((done: number, total: number) => {
      if (live && task !== null) store.updateBusy(task, `${label} ${done} / ${total}`);
    });
    try {
      const classList = inputs.classList ?? this.model?.classList;
      const summary = await api.loadImages(transferable(await toNamedBytes(inputs.files)), classList, onProgress, inputs.unlabelled ?? false);
      this.images = inputs;
      store.setDataset(summary, inputs.source);
      setUnlabelledOffer(null);
      return true;
    } catch (e) {
      const message = errorText(e);
      store.reportError('images', `Could not load the images: ${message}`);
      setUnlabelledOffer(offersUnlabelled(message) ? { files: inputs.files, source: inputs.source, message } : null);
      return false;
    } finally {
      live = false;
    }
  }

  /**
   * The loaded model and images as saved with a run: keyed by where they came from, their paths
   * and sizes, so runs of the same inputs share one copy. Null when nothing is loaded.
   */
  saved(preprocess: Preprocess): SavedInputs | null {
    if (!this.model || !this.images) return null;
    const { model, images } = this;
    const parts = [model.source, images.source, images.unlabelled ? 'unlabelled' : '', ...(images.classList ?? []), ...(model.classList ?? [])];
    for (const f of [...model.files, ...images.files]) parts.push(f.path, String(f.blob.size));
    return {
      id: `in-${fingerprint(...parts)}-${model.files.length}-${images.files.length}`,
      modelSource: model.source,
      model: model.files.map((f) => ({ path: f.path, blob: f.blob })),
      imagesSource: images.source,
      images: images.files.map((f) => ({ path: f.path, blob: f.blob })),
      ...(images.classList ? { classList: images.classList } : {}),
      ...(images.unlabelled ? { unlabelled: true } : {}),
      ...(model.classList ? { modelClassList: model.classList } : {}),
      preprocess,
    };
  }
}
