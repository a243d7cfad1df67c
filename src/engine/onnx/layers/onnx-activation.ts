/** ONNX activations TF.js has no exact layer for: Clip (any bounds), HardSigmoid (any alpha/beta), HardSwish. */
import * as tf from '@tensorflow/tfjs';

/** Which function, with its ONNX parameters. */
export interface ActivationSpec {
  fn: 'clip' | 'hardSigmoid' | 'hardSwish';
  /** Clip bounds (finite, the config is JSON: +-3.4e38 stands for none). */
  min: number;
  max: number;
  /** HardSigmoid: max(0, min(1, alpha * x + beta)). */
  alpha: number;
  beta: number;
}

export class OnnxActivation extends tf.layers.Layer {
  static className = 'OnnxActivation';
  private readonly spec: ActivationSpec;

  constructor(args: { spec: ActivationSpec; name?: string }) {
    super(args.name ? { name: args.name } : {});
    this.spec = args.spec;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const { fn, min, max, alpha, beta } = this.spec;
      if (fn === 'clip') return tf.clipByValue(x, min, max);
      const hs = tf.clipByValue(tf.add(tf.mul(x, alpha), beta), 0, 1);
      return fn === 'hardSigmoid' ? hs : tf.mul(x, hs);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), spec: { ...this.spec } };
  }
}
tf.serialization.registerClass(OnnxActivation);
