/**
 * Runs a kernel as a composition of ordinary tf ops on the active backend and hands the engine a
 * TensorInfo it owns, the way wasm's own Reshape/Identity kernels share a buffer: one extra
 * backend reference on the result, then the scoped tensor is dropped.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';

/** A tf.Tensor over `info`; bare TensorInfos get their own backend reference, released by the scope. */
function asTensor(info: TensorInfo, backend: KernelBackend): tf.Tensor {
  if (info instanceof tf.Tensor) return info;
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}

/**
 * Evaluates `body` on the kernel's inputs inside a tidy scope and returns its result as a kernel
 * output. Ops run inside a kernel are not recorded on the gradient tape (the engine raises
 * kernelDepth), so this is safe during backprop.
 */
export function compose<K extends string>(
  backend: KernelBackend,
  inputs: Record<K, TensorInfo>,
  body: (xs: Record<K, tf.Tensor>) => tf.Tensor,
): TensorInfo {
  const out = tf.tidy(() => {
    const xs = {} as Record<K, tf.Tensor>;
    for (const k of Object.keys(inputs) as K[]) xs[k] = asTensor(inputs[k], backend);
    const r = body(xs);
    // A fresh tensor, so dropping it below never disposes an input.
    return Object.values<tf.Tensor>(xs).includes(r) ? r.clone() : r;
  });
  // The engine wraps the returned dataId in a new tensor without taking a reference of its own.
  backend.incRef(out.dataId);
  const info: TensorInfo = { dataId: out.dataId, shape: out.shape.slice(), dtype: out.dtype };
  out.dispose();
  return info;
}
