/**
 * ONNX Add/Sub/Mul/Div with NumPy broadcasting: of two image tensors (OnnxBinary), or of one and
 * a constant held as a non-trainable weight (OnnxConstOp), so saved models keep it.
 */
import * as tf from '@tensorflow/tfjs';

/** The arithmetic op. */
export type ArithOp = 'add' | 'sub' | 'mul' | 'div';

const apply = (op: ArithOp, a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
  op === 'add' ? tf.add(a, b) : op === 'sub' ? tf.sub(a, b) : op === 'mul' ? tf.mul(a, b) : tf.div(a, b);

/** NumPy broadcast of two shapes of equal rank (null = batch). */
function broadcast(a: tf.Shape, b: tf.Shape): tf.Shape {
  return a.map((d, i) => {
    const e = b[i];
    if (d === null || e === null || e === undefined) return d ?? e ?? null;
    return d === 1 ? e : d;
  });
}

export class OnnxBinary extends tf.layers.Layer {
  static className = 'OnnxBinary';
  private readonly op: ArithOp;

  constructor(args: { op: ArithOp; name?: string }) {
    super(args.name ? { name: args.name } : {});
    this.op = args.op;
  }

  override computeOutputShape(inputShape: tf.Shape[]): tf.Shape {
    return broadcast(inputShape[0]!, inputShape[1]!);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [a, b] = inputs as tf.Tensor[];
      return apply(this.op, a!, b!);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), op: this.op };
  }
}

export class OnnxConstOp extends tf.layers.Layer {
  static className = 'OnnxConstOp';
  private readonly op: ArithOp;
  /** True when the constant is the left operand (c - x, c / x). */
  private readonly constFirst: boolean;
  /** Shape of the constant, TF.js axis order, broadcastable against the input (batch axis 1). */
  private readonly constShape: number[];
  private value: tf.LayerVariable | null = null;

  constructor(args: { op: ArithOp; constFirst: boolean; constShape: number[]; name?: string }) {
    super({ ...(args.name ? { name: args.name } : {}), trainable: false });
    this.op = args.op;
    this.constFirst = args.constFirst;
    this.constShape = args.constShape;
  }

  override build(): void {
    this.value = this.addWeight('value', this.constShape, 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    return broadcast(inputShape, this.constShape.map((d, i) => (i === 0 ? null : d)));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const c = this.value!.read();
      return this.constFirst ? apply(this.op, c, x) : apply(this.op, x, c);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), op: this.op, constFirst: this.constFirst, constShape: [...this.constShape] };
  }
}
tf.serialization.registerClass(OnnxBinary);
tf.serialization.registerClass(OnnxConstOp);
