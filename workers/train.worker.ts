// The training worker, on either backend. It uses onnxruntime-web's WebGPU build for both: on the
// training step its asyncify WASM measured faster than the plain build (230 against 400 ms per
// step of the paper's model here), the reverse of inference (BENCHMARKS.md).
import { webOrt } from './ort-webgpu.ts';
import { serveTraining } from './train-serve.ts';

serveTraining(webOrt);
