import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
(async () => {
  await tf.setBackend('wasm');
  const cpu = tf.getKernelsForBackend('cpu').map((k) => k.kernelName);
  console.log(cpu.filter((n) => !tf.getKernel(n, 'wasm')).sort().join(' '));
})();
