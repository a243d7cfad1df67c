import { useState } from 'react';
import { plural } from '../../core/words/plural';
import { loadBuiltin, loadClassList, loadImageFiles, loadModelFiles, loadTestFiles } from '../actions';
import { useStudio } from '../store';
import { DatasetSummaryView } from './dataset-summary';
import { DropZone } from './drop-zone';
import { ModelSummaryView } from './model-summary';
import { PickButton } from './pick-button';
import { UnlabelledOfferView } from '../files/unlabelled-offer-view';

/** Model, calibration images and an optional class list, plus the built-in starting points. */
export function InputsPanel() {
  const busy = useStudio((s) => s.busy !== null);
  const running = useStudio((s) => s.run.status === 'running' || s.run.status === 'cancelling');
  const [classList, setClassList] = useState<{ name: string; size: number; list: string[] } | null>(null);
  const locked = busy || running;

  return (
    <section className="panel" data-testid="inputs-panel">
      <h2>1 · Inputs</h2>
      <div className="builtins">
        <button type="button" data-testid="builtin-demo" disabled={locked} onClick={() => void loadBuiltin('demo')}>
          Try the demo (CIFAR-10, 90%)
        </button>
        <button type="button" className="secondary" data-testid="builtin-demo-2of4" disabled={locked} onClick={() => void loadBuiltin('demo-2of4')}>
          Demo at 2:4
        </button>
        <button type="button" className="secondary" data-testid="builtin-mobilenet" disabled={locked} onClick={() => void loadBuiltin('mobilenet')}>
          MobileNet v1 0.25 (ImageNet)
        </button>
      </div>
      <div className="drop-grid">
        <DropZone
          id="model"
          title="Pretrained model"
          hint={
            <>
              A TF.js <b>layers</b> model (<code>model.json</code> and its weight shards), or an <b>ONNX</b> image classifier (<code>.onnx</code>, with its external-data files if it has them).
            </>
          }
          accept=".json,.bin,.onnx,.data,application/octet-stream"
          disabled={locked}
          onFiles={(files) => void loadModelFiles(files)}
        />
        <DropZone
          id="images"
          title="Calibration images"
          hint={
            <>
              A folder of images; class sub-folders (<code>0/</code>, <code>cat/</code>…) give labels. Unlabelled works too.
            </>
          }
          accept="image/*"
          disabled={locked}
          onFiles={(files) => void loadImageFiles(files, classList?.list)}
        />
        <DropZone
          id="test-images"
          title="Test images (optional)"
          hint={
            <>
              Labelled like the calibration images. Scored <b>once</b> at the end for the dense, one-shot and returned models; they choose nothing.
            </>
          }
          accept="image/*"
          disabled={locked}
          onFiles={(files) => void loadTestFiles(files, classList?.list)}
        />
      </div>
      <TestSetLine locked={locked} />
      <div className="classlist">
        <PickButton
          className="secondary small"
          testid="classlist-input"
          accept=".txt,.json,text/plain,application/json"
          disabled={locked}
          onPick={(list) => {
            const file = list[0]!;
            void loadClassList(file).then((names) => names && setClassList({ name: file.name, size: names.length, list: names }));
          }}
        >
          Class list (optional)…
        </PickButton>
        <span className="muted small" data-testid="classlist-status">
          {classList
            ? `${classList.name}: ${plural(classList.size, 'class name')} (folder names are matched to them)`
            : 'One class name per line (or a JSON array), in the model’s output order.'}
        </span>
      </div>
      <UnlabelledOfferView />
      <ModelSummaryView />
      <DatasetSummaryView />
    </section>
  );
}

/** What the test drop zone holds, and a way to forget it. */
function TestSetLine({ locked }: { locked: boolean }) {
  const testSet = useStudio((s) => s.testSet);
  const source = useStudio((s) => s.testSource);
  if (!source) return null;
  return (
    <p className="muted small" data-testid="test-set-summary">
      Test images: {testSet ? `${testSet.count} from ${source}${testSet.labelled ? '' : ' (unlabelled: scored as agreement with the dense model)'}` : source}
      {testSet && testSet.skipped.length > 0 ? `, ${testSet.skipped.length} skipped` : ''}.{' '}
      <button type="button" className="secondary small" data-testid="test-set-clear" disabled={locked} onClick={() => void loadTestFiles(null)}>
        Forget
      </button>
    </p>
  );
}
