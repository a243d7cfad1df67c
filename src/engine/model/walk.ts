import type * as tf from '@tensorflow/tfjs';
import { leafLayers } from './kernels';

export { leafLayers };

/** Leaf layers of one class name, e.g. 'BatchNormalization', nested models included. */
export function layersOfClass(model: tf.LayersModel, className: string): tf.layers.Layer[] {
  return leafLayers(model).filter((l) => l.getClassName() === className);
}
