import type { RunReport } from '../../core/events';
import type { ReturnVerdict } from '../../core/metrics/verdict';
import { plural } from '../../core/words/plural';
import { duration, pct } from '../format';
import { useStudio } from '../store';
import { fileStem, masksZip, modelZip, saveFile } from './downloads';
import { DeploymentView } from './deployment';
import { LayerTable } from './layer-table';
import { MetricsTable } from './metrics-table';
import { runVerdict } from '../run-verdict';
import { RunSummary } from '../teaching/teaching-views';
import { returnedSentence } from './returned-words';
import { TeachableDownload } from './teachable-download';

/** Which model came back and why: the run's verdict, the same one the teaching notes put in words. */
function Returned({ report, verdict }: { report: RunReport; verdict: ReturnVerdict }) {
  return (
    <div className={`returned ${verdict.returned === 'trained' ? 'good' : 'caution'}`} data-testid="result-returned" data-returned={verdict.returned} data-relation={verdict.relation}>
      <span data-testid="result-returned-text">{returnedSentence(verdict)}</span>
      {report.stoppedEarly && (
        <div className="muted small" data-testid="result-stopped">
          {report.stoppedEarly}
        </div>
      )}
      {/* The message already says what happened and what to try. */}
      {report.divergence && (
        <div className="divergence" data-testid="result-divergence">
          {report.divergence}
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
      {t.msPerStep.toFixed(0)} ms per step) · {plural(report.calibrationImages, 'calibration image')} + {plural(report.heldOutImages, 'validation image')}
      {report.testImages > 0 ? ` + ${plural(report.testImages, 'test image')}` : ''}
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
  const verdict = runVerdict(run);
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
        Validation · {run.metrics.dense ? plural(run.metrics.dense.count, 'image') : '… images'} held out of training; they chose the checkpoint and whether one-shot is returned
      </h3>
      <MetricsTable metrics={run.metrics} returned={report?.returned ?? null} />
      {run.test && (
        <>
          <h3 className="metrics-title" data-testid="test-title">
            Test · {plural(run.test.dense.count, 'image')} scored once at the end; they chose nothing
          </h3>
          <MetricsTable metrics={run.test} returned={report?.returned ?? null} set="test" />
        </>
      )}
      {report && verdict && (
        <>
          <Returned report={report} verdict={verdict} />
          <RunSummary report={report} verdict={verdict} />
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
          <summary>Per-layer result ({plural(report.layers.length, 'kernel')})</summary>
          <LayerTable layers={report.layers} />
        </details>
      )}
    </section>
  );
}
