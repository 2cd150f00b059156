// onnxruntime-web's WASM build in Node (one thread, the plain build), beside onnxruntime-node: the
// engines the unit tests run the training graphs on. WebGPU runs in Chromium (tests/e2e).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import type { OrtModule } from '../../lib/train/trainer.ts';

const dist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
ortWeb.env.wasm.wasmPaths = {
  wasm: pathToFileURL(join(dist, 'ort-wasm-simd-threaded.wasm')).href,
  mjs: pathToFileURL(join(dist, 'ort-wasm-simd-threaded.mjs')).href,
};
ortWeb.env.wasm.numThreads = 1;

/** [name, module, execution providers] for each engine. */
export const engines: [string, OrtModule, string[]][] = [
  ['onnxruntime-node', ortNode as unknown as OrtModule, ['cpu']],
  ['onnxruntime-web (WASM)', ortWeb as unknown as OrtModule, ['wasm']],
];
