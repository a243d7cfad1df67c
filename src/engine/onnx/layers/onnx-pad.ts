/** ONNX Pad on an image tensor: constant (any value) or reflect, per TF.js axis. */
import * as tf from '@tensorflow/tfjs';

/** Padding of an ONNX Pad in TF.js axis order (batch included, never padded). */
export interface PadSpec {
  /** [before, after] per TF.js axis. */
  pads: [number, number][];
  mode: 'constant' | 'reflect';
  /** Fill value of constant mode (finite: the config is JSON). */
  value: number;
}

export class OnnxPad extends tf.layers.Layer {
  static className = 'OnnxPad';
  private readonly spec: PadSpec;

  constructor(args: { spec: PadSpec; name?: string }) {
    super(args.name ? { name: args.name } : {});
    this.spec = args.spec;
  }

  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    return inputShape.map((d, i) => (d === null ? null : d + this.spec.pads[i]![0] + this.spec.pads[i]![1]));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const { pads, mode, value } = this.spec;
      return mode === 'reflect' ? tf.mirrorPad(x, pads, 'reflect') : tf.pad(x, pads, value);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), spec: { pads: this.spec.pads.map((p) => [...p]), mode: this.spec.mode, value: this.spec.value } };
  }
}
tf.serialization.registerClass(OnnxPad);
