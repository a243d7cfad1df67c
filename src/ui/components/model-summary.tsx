import type { ModelSummary } from '../../core/session-types';
import { plural } from '../../core/words/plural';
import { count, num } from '../format';
import { useStudio } from '../store';

function Fact({ label, value, testid }: { label: string; value: string; testid?: string }) {
  return (
    <div className="fact">
      <span className="label">{label}</span>
      <span className="value" data-testid={testid}>
        {value}
      </span>
    </div>
  );
}

function layerClasses(m: ModelSummary): string {
  return Object.entries(m.layerClasses)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}

/** What the engine understood of the model: architecture, input, and the prunable kernels. */
export function ModelSummaryView() {
  const model = useStudio((s) => s.model);
  const source = useStudio((s) => s.modelSource);
  if (!model) return <p className="empty" data-testid="model-empty">No model loaded yet.</p>;
  return (
    <div className="summary" data-testid="model-summary">
      <h3>
        Model <span className="muted">· {source}</span>
      </h3>
      <div className="facts">
        <Fact label="Name" value={model.name} testid="model-name" />
        <Fact label="Format" value={model.format} testid="model-format" />
        <Fact label="Input" value={model.inputShape.join(' × ')} testid="model-input-shape" />
        <Fact label="Classes" value={String(model.numClasses)} testid="model-classes" />
        <Fact label="Parameters" value={count(model.totalParams)} testid="model-params" />
        <Fact
          label="Prunable"
          value={`${count(model.prunableParams)} in ${plural(model.prunable.length, 'kernel')}`}
          testid="model-prunable"
        />
        <Fact label="BatchNorm" testid="model-batchnorm" value={model.hasBatchNorm ? 'yes (re-estimated after pruning)' : 'none (folded or absent): after pruning each layer is rescaled to the dense output statistics, a setting'} />
        <Fact label="Softmax head" value={model.outputIsSoftmax ? 'yes (stripped to read logits)' : 'no'} />
      </div>
      {model.onnxOps && (
        <p className="muted small" data-testid="model-onnx-ops">
          ONNX ops: {Object.entries(model.onnxOps).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`).join(', ')}. Imported as NHWC TF.js layers; shape and constant computations folded for the fixed input size.
        </p>
      )}
      <p className="muted small">
        {plural(model.layerCount, 'layer')}: {layerClasses(model)}
      </p>
      {model.warnings.map((w) => (
        <p className="warning" key={w}>
          {w}
        </p>
      ))}
      <details className="layers-details">
        <summary>Prunable kernels ({model.prunable.length})</summary>
        <div className="table-scroll">
          <table data-testid="model-layers-table">
            <thead>
              <tr>
                <th>#</th>
                <th>Layer</th>
                <th>Kind</th>
                <th>Kernel shape</th>
                <th className="num">Weights</th>
                <th className="num">Share</th>
              </tr>
            </thead>
            <tbody>
              {model.prunable.map((l, i) => (
                <tr key={l.name}>
                  <td>{i + 1}</td>
                  <td className="mono">{l.name}</td>
                  <td>{l.kind}</td>
                  <td className="mono">[{l.shape.join(', ')}]</td>
                  <td className="num">{count(l.params)}</td>
                  <td className="num">{num((100 * l.params) / Math.max(1, model.prunableParams))}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
