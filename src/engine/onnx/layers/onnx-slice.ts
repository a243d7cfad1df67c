/** ONNX Slice on an image tensor (e.g. the option-A ResNet shortcut's x[:, :, ::2, ::2]). */
import * as tf from '@tensorflow/tfjs';

/** Per TF.js axis (batch excluded): first index, end (exclusive, -1 = past the start for negative steps), step. */
export interface SliceSpec {
  begin: number[];
  end: number[];
  step: number[];
}

/** Elements an axis keeps. */
export const sliceLength = (begin: number, end: number, step: number): number =>
  Math.max(0, Math.ceil((end - begin) / step));

/** x[b:e:s] along `axis`, built from differentiable ops. */
function sliceAxis(x: tf.Tensor, axis: number, begin: number, end: number, step: number): tf.Tensor {
  const n = x.shape[axis]!;
  const len = sliceLength(begin, end, step);
  if (step === 1 && begin === 0 && len === n) return x;
  if (step < 0) return sliceAxis(tf.reverse(x, axis), axis, n - 1 - begin, n - 1 - end, -step);
  const take = (from: number, size: number) => {
    const b = x.shape.map((_, a) => (a === axis ? from : 0));
    const s = x.shape.map((d, a) => (a === axis ? size : d!));
    return tf.slice(x, b, s);
  };
  if (step === 1) return take(begin, len);
  // Whole windows of `step` from `begin`, the last one padded; keep the first of each window.
  const avail = Math.min(len * step, n - begin);
  let y = take(begin, avail);
  if (avail < len * step) y = tf.pad(y, y.shape.map((_, a) => (a === axis ? [0, len * step - avail] : [0, 0])) as [number, number][]);
  const shape = y.shape.map((d) => d!);
  // The axes before and after collapse into one each, so the slice is of a 4-D tensor: wasm's
  // Slice kernel ran a 6-D one element by element (ResNet-32's two shortcut slices took 70% of
  // its forward pass).
  const prod = (d: number[]) => d.reduce((p, v) => p * v, 1);
  const windows = [prod(shape.slice(0, axis)), len, step, prod(shape.slice(axis + 1))];
  const first = tf.slice(tf.reshape(y, windows), [0, 0, 0, 0], [windows[0]!, len, 1, windows[3]!]);
  return tf.reshape(first, [...shape.slice(0, axis), len, ...shape.slice(axis + 1)]);
}

export class OnnxSlice extends tf.layers.Layer {
  static className = 'OnnxSlice';
  private readonly spec: SliceSpec;

  constructor(args: { spec: SliceSpec; name?: string }) {
    super(args.name ? { name: args.name } : {});
    this.spec = args.spec;
  }

  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    const s = this.spec;
    return [inputShape[0] ?? null, ...s.begin.map((b, i) => sliceLength(b, s.end[i]!, s.step[i]!))];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      let x = Array.isArray(inputs) ? inputs[0]! : inputs;
      // slice / reverse / pad / reshape only: each has a gradient on every backend (StridedSlice has none).
      this.spec.begin.forEach((b, i) => (x = sliceAxis(x, i + 1, b, this.spec.end[i]!, this.spec.step[i]!)));
      return x;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), spec: { ...this.spec } };
  }
}
tf.serialization.registerClass(OnnxSlice);
