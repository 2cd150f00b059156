// onnxruntime-web's WebGPU build (its WASM part is the slower asyncify build), for the WebGPU workers.
import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { configureOrt } from '../lib/train/browser-ort.ts';

export const webOrt = configureOrt(ort, wasmUrl);
