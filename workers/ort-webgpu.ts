// onnxruntime-web's WebGPU build (with its asyncify WASM for the CPU), for the WebGPU model worker
// and the training worker.
import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { configureOrt } from '../lib/train/browser-ort.ts';

export const webOrt = configureOrt(ort, wasmUrl);
