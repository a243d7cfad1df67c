// A pthread of the tfjs wasm backend's threaded build, as a Node worker thread (src/node/wasm-threads.ts).
// The package runs its pthreads from Blob URLs, which Node's workers cannot load: this file runs the
// package's own worker code, and hands it the package's own main script where it asks for a Blob URL.
'use strict';
const main = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
URL.createObjectURL = () => main;
URL.revokeObjectURL = () => undefined;
const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
// The package escapes its newlines the same way before it makes the Blob.
new Function('require', '__filename', wasmWorkerContents.replace(/\n/g, '\\n'))(require, __filename);
