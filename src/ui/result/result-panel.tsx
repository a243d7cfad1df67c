import type { RunReport } from '../../core/events';
import { duration, pct } from '../format';
import { useStudio } from '../store';
import { fileStem, masksZip, modelZip, saveFile } from './downloads';
import { DeploymentView } from './deployment';
import { LayerTable } from './layer-table';
import { MetricsTable } from './metrics-table';
import { RunSummary } from '../teaching/teaching-views';
import { TeachableDownload } from './teachable-download';

function Returned({ report }: { report: RunReport }) {
  const trained = report.returned === 'trained';
  return (
    <div className={`returned ${trained ? 'good' : 'caution'}`} data-testid="result-returned" data-returned={report.returned}>
      {trained
        ? `The trained model was returned: its best checkpoint on the validation images (step ${report.bestStep}) beat the one-shot model.`
        : 'The one-shot model was returned: training did not beat it on the validation images, so its result was kept instead.'}
      {report.stoppedEarly && (
        <div className="muted small" data-testid="result-stopped">
          {report.stoppedEarly}
        </div>
      )}
      {report.divergence && (
        <div className="divergence" data-testid="result-divergence">
          Training diverged: {report.divergence} Try a smaller learning rate.
        </div>
      )}
    </div>
  );
}

function Timings({ report }: { report: RunReport }) {
  const t = report.timings;
  return (
    <p className="muted small" data-testid="result-timings">
      Total {duration(t.totalSeconds)} on {report.backend} · search {duration(t.searchSeconds)} (
      {t.fitnessSeconds.toFixed(2)} s per fitness evaluation{(t.searchParallel ?? 1) > 1 ? `, ${t.searchParallel} side by side` : ''}) · training {duration(t.trainSeconds)} (
      {t.msPerStep.toFixed(0)} ms per step) · {report.calibrationImages} calibration + {report.heldOutImages} validation
      {report.testImages > 0 ? ` + ${report.testImages} test` : ''} images
      {report.budget && (
        <span data-testid="result-budget">
          {' '}· budget {duration(report.budget.budgetSeconds)}, plan: {report.budget.plan}
        </span>
      )}
    </p>
  );
}

/** Dense vs one-shot vs returned, which model came back and why, per-layer table and downloads. */
export function ResultPanel() {
  const run = useStudio((s) => s.run);
  // A reopened saved run names its files after its own model, not the one loaded now.
  const modelName = useStudio((s) => s.run.modelName ?? s.model?.name ?? 'model');
  const report = run.report;
  const artifacts = run.artifacts;
  if (!report && !run.metrics.dense) return null;
  const stem = report ? fileStem(modelName, report.targetSparsity) : '';
  // Warnings already shown live above are not repeated.
  const newWarnings = report ? report.warnings.filter((w) => !run.warnings.includes(w)) : [];
  return (
    <section className="panel" data-testid="result-panel">
      <h2>4 · Result</h2>
      {report && (
        <p className="headline" data-testid="result-sparsity">
          Global sparsity <b>{pct(report.globalSparsity, 2)}</b> (target {pct(report.targetSparsity)}, {report.pattern},{' '}
          {report.distribution}); over all prunable kernels {pct(report.overallSparsity, 2)}.
        </p>
      )}
      <h3 className="metrics-title" data-testid="validation-title">
        Validation · {run.metrics.dense?.count ?? '…'} images held out of training; they chose the checkpoint and whether one-shot is returned
      </h3>
      <MetricsTable metrics={run.metrics} returned={report?.returned ?? null} />
      {run.test && (
        <>
          <h3 className="metrics-title" data-testid="test-title">
            Test · {run.test.dense.count} images scored once at the end; they chose nothing
          </h3>
          <MetricsTable metrics={run.test} returned={report?.returned ?? null} set="test" />
        </>
      )}
      {report && (
        <>
          <Returned report={report} />
          <RunSummary report={report} />
          {newWarnings.length > 0 && (
            <ul className="run-warnings" data-testid="result-warnings">
              {newWarnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          )}
          <Timings report={report} />
        </>
      )}
      {artifacts && (
        <div className="downloads">
          <button type="button" className="primary" data-testid="download-zip" onClick={() => saveFile(`${stem}.zip`, modelZip(artifacts), 'application/zip')}>
            Sparse model (.zip)
          </button>
          <TeachableDownload artifacts={artifacts} modelName={modelName} stem={stem} />
          {artifacts.onnx && (
            <button type="button" className="primary" data-testid="download-onnx" title="The dropped ONNX graph with the pruned weights as exact zeros" onClick={() => saveFile(`${stem}.onnx`, new Uint8Array(artifacts.onnx!), 'application/octet-stream')}>
              Sparse model (.onnx)
            </button>
          )}
          <button type="button" className="secondary" data-testid="download-masks" onClick={() => saveFile(`${stem}-masks.zip`, masksZip(artifacts), 'application/zip')}>
            Masks
          </button>
          {artifacts.nmPacked && (
            <button type="button" className="secondary" data-testid="download-nm-packed" title="N:M layers, packed (PTSNM1 format)" onClick={() => saveFile(`${stem}-nm.ptsnm`, new Uint8Array(artifacts.nmPacked!), 'application/octet-stream')}>
              N:M packed
            </button>
          )}
          <button type="button" className="secondary" data-testid="download-recipe" onClick={() => saveFile(`${stem}-recipe.json`, artifacts.recipeJson, 'application/json')}>
            Recipe JSON
          </button>
          <button type="button" className="secondary" data-testid="download-report" onClick={() => saveFile(`${stem}-report.json`, JSON.stringify(artifacts.report, null, 2), 'application/json')}>
            Report JSON
          </button>
        </div>
      )}
      {report?.deployment && <DeploymentView d={report.deployment} />}
      {report && (
        <details className="layers-details">
          <summary>Per-layer result ({report.layers.length} kernels)</summary>
          <LayerTable layers={report.layers} />
        </details>
      )}
    </section>
  );
}
