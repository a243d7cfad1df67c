import { strToU8, zipSync } from 'fflate';
import { teachableFolder } from '../../core/teachable/folder';
import type { RunArtifacts } from '../../core/session-types';
import { useTeachableModel } from '../files/teachable';
import { saveFile } from './downloads';

/** TF.js version that wrote the model ("TensorFlow.js tfjs-layers v4.22.0" -> "4.22.0"), as Teachable Machine records it. */
function tfjsVersion(modelJson: string): string {
  const by = (JSON.parse(modelJson) as { generatedBy?: unknown }).generatedBy;
  return (typeof by === 'string' ? /v?(\d+\.\d+\.\d+\S*)\s*$/.exec(by)?.[1] : undefined) ?? '';
}

/** The sparse model as a Teachable Machine folder, zipped (model.json, weights.bin, metadata.json), when the run's model came from one. */
export function TeachableDownload({ artifacts, modelName, stem }: { artifacts: RunArtifacts; modelName: string; stem: string }) {
  const { metadata, modelName: tmName } = useTeachableModel();
  if (!metadata || tmName !== modelName) return null;
  const save = () => {
    const r = artifacts.report;
    const folder = teachableFolder(artifacts.modelJson, artifacts.weights, metadata, {
      tfjsVersion: tfjsVersion(artifacts.modelJson),
      sparsity: r.globalSparsity,
      pattern: r.pattern,
      timeStamp: new Date().toISOString(),
    });
    const files = Object.fromEntries(Object.entries(folder).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v]));
    saveFile(`${stem}-teachable-machine.zip`, zipSync(files, { level: 6 }), 'application/zip');
  };
  return (
    <button type="button" className="secondary" data-testid="download-teachable" title="model.json, weights.bin and metadata.json, as Teachable Machine exports them" onClick={save}>
      Teachable Machine folder
    </button>
  );
}
