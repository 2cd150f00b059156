// The training worker on onnxruntime-web's plain SIMD-threaded build (the model views' engine),
// WASM only. The lab does not use it: in Chromium its training step measured 1.3–2.2 times
// slower than the WebGPU build's asyncify WASM (BENCHMARKS.md, "One engine or two"). The /check/
// page times it beside the lab's, so that the comparison can be made again.
import { webOrt } from './ort-wasm.ts';
import { serveTraining } from './train-serve.ts';

serveTraining(webOrt);
