/** Prunable-kernel discovery and the model summary, the two views of a model the engine shows. */
export { findKernelVariable, findPrunableKernels, leafLayers } from './kernels';
export type { PrunableKernel, PrunableOptions } from './kernels';
export { summarizeModel } from './summary';
