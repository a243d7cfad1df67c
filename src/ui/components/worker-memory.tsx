import { bytes, count } from '../format';
import { useStudio } from '../store';

/**
 * What the worker still holds once a run is over: the loaded model and nothing else, so the
 * count is the same after every run. On a GPU backend, also what it allocated and gave back.
 */
export function WorkerMemoryNote() {
  const m = useStudio((s) => s.workerMemory);
  if (!m) return null;
  const gpu = m.gpuBytesAllocated === null ? '' : ` · GPU: ${bytes(m.gpuBytesAllocated)} allocated, ${bytes(m.gpuBytesReleased)} of pooled buffers released`;
  return (
    <span
      className="worker-memory"
      data-testid="worker-memory"
      data-tensors={m.numTensors}
      data-bytes={m.numBytes}
      title={`TF.js memory in the worker (${m.backend} backend) after the run ended`}
    >
      After the run: {count(m.numTensors)} tensors, {bytes(m.numBytes)}
      {gpu}
    </span>
  );
}
