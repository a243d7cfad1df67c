import * as tf from '@tensorflow/tfjs';

/** An independent copy of a layers model (same topology and weights), via its own save format. */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts) throw new Error('Could not copy the model.');
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}
