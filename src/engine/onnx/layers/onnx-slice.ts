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
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const s = this.spec;
      // Bit 0 (batch) and any negative-step end past index 0 take the whole range.
      let endMask = 1;
      s.end.forEach((e, i) => {
        if (e < 0) endMask |= 1 << (i + 1);
      });
      return tf.stridedSlice(x, [0, ...s.begin], [0, ...s.end.map((e) => Math.max(e, 0))], [1, ...s.step], 1, endMask);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), spec: { ...this.spec } };
  }
}
tf.serialization.registerClass(OnnxSlice);
