import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxSlice } from './onnx-slice';

describe('OnnxSlice', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases = [
    { begin: [0, 0, 0], end: [7, 5, 3], step: [2, 2, 1] },
    { begin: [1, 0, 0], end: [7, 5, 3], step: [3, 1, 1] },
    { begin: [6, 4, 2], end: [-1, 0, -1], step: [-2, -1, -1] },
    { begin: [2, 1, 0], end: [5, 4, 2], step: [1, 1, 1] },
  ];
  for (const spec of cases) {
    it(`matches stridedSlice for begin ${spec.begin} end ${spec.end} step ${spec.step}, and has a gradient`, () => {
      const x = tf.range(0, 2 * 7 * 5 * 3).reshape([2, 7, 5, 3]);
      const layer = new OnnxSlice({ spec });
      let endMask = 1;
      spec.end.forEach((e, i) => e < 0 && (endMask |= 1 << (i + 1)));
      const want = tf.stridedSlice(x, [0, ...spec.begin], [0, ...spec.end.map((e) => Math.max(e, 0))], [1, ...spec.step], 1, endMask);
      const got = layer.apply(x) as tf.Tensor;
      expect(got.shape).toEqual(want.shape);
      expect(layer.computeOutputShape([null, 7, 5, 3])).toEqual([null, ...want.shape.slice(1)]);
      expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
      // Each kept element gets gradient 1, every other 0.
      const g = tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(x);
      expect(g.sum().dataSync()[0]).toBe(want.size);
      tf.dispose([x, want, got, g]);
    });
  }
});
