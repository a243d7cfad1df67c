import { PREPROCESS_PRESETS, type Preprocess } from '../../core/options';
import { plural } from '../../core/words/plural';
import { count } from '../format';
import { updatePreprocess, useStudio } from '../store';
import { Thumbnail } from './thumbnail';

const PREPROCESS_HELP: Record<Preprocess, string> = {
  unit: 'x / 255 → [0, 1]',
  symmetric: 'x / 127.5 − 1 → [−1, 1] (MobileNet, Inception)',
  imagenet: '(x / 255 − ImageNet mean) / std',
  raw: 'pixel values 0..255 unchanged',
};

const LABEL_SOURCE: Record<string, string> = {
  indices: 'folder names are class indices',
  'class-list': 'folder names matched to the class list',
  'sorted-names': 'folder names, sorted, numbered from 0',
  none: 'no labels: scored by agreement with the dense model',
};

/** The preprocessing preset, editable; the model suggests one when it loads. */
function PreprocessSelect() {
  const preprocess = useStudio((s) => s.options.preprocess);
  return (
    <label className="inline-field">
      <span className="label">Preprocessing</span>
      <select
        data-testid="preprocess-select"
        value={preprocess}
        onChange={(e) => updatePreprocess(e.currentTarget.value as Preprocess)}
      >
        {PREPROCESS_PRESETS.map((p) => (
          <option key={p} value={p}>
            {p}: {PREPROCESS_HELP[p]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What the engine understood of the images: counts, labels, thumbnails, and what it skipped. */
export function DatasetSummaryView() {
  const dataset = useStudio((s) => s.dataset);
  const source = useStudio((s) => s.datasetSource);
  const numClasses = useStudio((s) => s.model?.numClasses ?? 0);
  if (!dataset) {
    return (
      <p className="empty" data-testid="dataset-empty">
        {source ?? 'No calibration images loaded yet.'}
      </p>
    );
  }
  const few = dataset.count < Math.max(100, 2 * numClasses);
  return (
    <div className="summary" data-testid="dataset-summary">
      <h3>
        Calibration images <span className="muted">· {source}</span>
      </h3>
      <div className="facts">
        <div className="fact">
          <span className="label">Usable images</span>
          <span className="value" data-testid="dataset-count">
            {count(dataset.count)}
          </span>
        </div>
        <div className="fact">
          <span className="label">Labels</span>
          <span className="value" data-testid="dataset-labelled">
            {dataset.labelled ? `yes, ${plural(dataset.perClass.length, 'class')}` : 'none'}
          </span>
        </div>
        <div className="fact">
          <span className="label">Read as</span>
          <span className="value">{LABEL_SOURCE[dataset.labelSource] ?? dataset.labelSource}</span>
        </div>
      </div>
      <PreprocessSelect />
      {few && (
        <p className="warning">
          {plural(dataset.count, 'image')} is a small calibration set for a {numClasses}-class model: expect training to overfit
          (the validation split chooses the checkpoint; add test images to score the result on images that chose nothing).
        </p>
      )}
      {dataset.warnings.map((w) => (
        <p className="warning" key={w}>
          {w}
        </p>
      ))}
      {dataset.perClass.length > 0 && (
        <div className="chips" data-testid="dataset-classes">
          {dataset.perClass.map((c) => (
            <span className="chip" key={c.classIndex} title={`class ${c.classIndex}`}>
              {c.name} <b>{c.count}</b>
            </span>
          ))}
        </div>
      )}
      <div className="thumbs" data-testid="dataset-thumbnails">
        {dataset.thumbnails.map((t) => (
          <Thumbnail key={t.path} thumb={t} />
        ))}
      </div>
      {dataset.skipped.length > 0 && (
        <details data-testid="dataset-skipped" open={dataset.count === 0}>
          <summary>{dataset.skipped.length} file(s) skipped</summary>
          <ul className="skipped">
            {dataset.skipped.map((p, i) => (
              <li key={`${p.file ?? ''}-${i}`}>
                {/* Engine messages start with the file already; it is shown once, in mono. */}
                <span className="mono">{p.file ?? '(input)'}</span>: {p.file && p.message.startsWith(`${p.file}: `) ? p.message.slice(p.file.length + 2) : p.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
