import type { DeploymentReport } from '../../core/events';
import { plural } from '../../core/words/plural';
import { bytes, num } from '../format';

function ratio(r: number | null): string {
  return r === null ? '' : `${(r * 100).toFixed(0)}% of dense`;
}

/** What the sparse model costs to store and run: kernel formats, gzip, latency, N:M validity. */
export function DeploymentView({ d }: { d: DeploymentReport }) {
  const t = d.total;
  const rows: [string, number | null, string][] = [
    ['Dense float32', t.denseFloat32, ''],
    ['Bitmask + values', t.bitmask, ratio(t.ratios.bitmask)],
    ['CSR', t.csr, ratio(t.ratios.csr)],
    [`N:M packed (${plural(t.nmLayers, 'layer')})`, t.nmPacked, ratio(t.ratios.nmPacked)],
  ];
  return (
    <div className="deployment" data-testid="result-deployment">
      <h3>Deployment</h3>
      <div className="deploy-grid">
        <table className="metrics">
          <thead>
            <tr>
              <th>Prunable kernels stored as</th>
              <th className="num">Size</th>
              <th className="num" />
            </tr>
          </thead>
          <tbody>
            {rows
              .filter(([, size]) => size !== null)
              .map(([label, size, note]) => (
                <tr key={label}>
                  <th>{label}</th>
                  <td className="num">{bytes(size!)}</td>
                  <td className="num muted">{note}</td>
                </tr>
              ))}
            <tr>
              <th>Weight file, gzip -6 (dense → sparse)</th>
              <td className="num" data-testid="deploy-gzip">
                {bytes(d.gzipDenseFile)} → {bytes(d.gzipSparseFile)}
              </td>
              <td className="num muted">{ratio(d.gzipDenseFile > 0 ? d.gzipSparseFile / d.gzipDenseFile : null).replace('dense', 'dense file')}</td>
            </tr>
            {d.onnx && (
              <tr>
                <th>ONNX file (dropped → sparse), gzip -6</th>
                <td className="num" data-testid="deploy-onnx">
                  {bytes(d.onnx.denseBytes)} → {bytes(d.onnx.sparseBytes)}; gzip {bytes(d.onnx.gzipDenseBytes)} → {bytes(d.onnx.gzipSparseBytes)}
                </td>
                <td className="num muted">{ratio(d.onnx.gzipDenseBytes > 0 ? d.onnx.gzipSparseBytes / d.onnx.gzipDenseBytes : null).replace('dense', 'dense file')}</td>
              </tr>
            )}
          </tbody>
        </table>
        <div className="small">
          {d.latency ? (
            <p data-testid="deploy-latency">
              Batch-1 latency on {d.latency.backend}: dense {num(d.latency.dense.median)} ms, sparse {num(d.latency.sparse.median)} ms
              (×{d.latency.speedup.toFixed(2)}; median of {d.latency.sparse.runs}). <span className="muted">{d.latency.note}</span>
            </p>
          ) : (
            <p className="muted">Latency was not measured.</p>
          )}
          {d.nmValid !== null && (
            <p data-testid="deploy-nm-valid" className={d.nmValid ? 'ok' : 'warning'}>
              {d.nmValid ? 'Every N:M layer holds at most N non-zeros per group of M.' : 'Some N:M layers break the N:M rule:'}
            </p>
          )}
          {d.layers
            .filter((l) => l.nmValid === false && l.nmMessage)
            .map((l) => (
              <p className="warning" key={l.name}>
                {l.name}: {l.nmMessage}
              </p>
            ))}
        </div>
      </div>
    </div>
  );
}
