// onnxruntime-web's plain SIMD-threaded build, for the model worker on the WASM backend.
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { configureOrt } from '../lib/train/browser-ort.ts';

export const webOrt = configureOrt(ort, wasmUrl);
export type WebOrt = typeof webOrt;
