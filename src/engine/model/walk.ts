import type * as tf from '@tensorflow/tfjs';

/** A layer that holds other layers (a nested Sequential or functional model). */
function innerLayers(layer: tf.layers.Layer): tf.layers.Layer[] | null {
  const maybe = layer as unknown as { layers?: tf.layers.Layer[] };
  return Array.isArray(maybe.layers) ? maybe.layers : null;
}

/** Every leaf layer of a model in order, descending into nested models. */
export function leafLayers(model: tf.LayersModel | tf.layers.Layer): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  const visit = (l: tf.layers.Layer) => {
    const inner = innerLayers(l);
    if (inner) inner.forEach(visit);
    else out.push(l);
  };
  const top = innerLayers(model as tf.layers.Layer);
  (top ?? [model as tf.layers.Layer]).forEach(visit);
  return out;
}

/** Leaf layers of one class name, e.g. 'BatchNormalization'. */
export function layersOfClass(model: tf.LayersModel, className: string): tf.layers.Layer[] {
  return leafLayers(model).filter((l) => l.getClassName() === className);
}
