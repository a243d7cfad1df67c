/** The fields of tfjs-layers' BatchNormalization that the studio reads and writes (not in its typings). */
import type * as tf from '@tensorflow/tfjs';

export interface BnInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: tf.LayerVariable;
  beta?: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
}
