// The training worker, on either backend. It uses onnxruntime-web's WebGPU build for both: on the
// training step its asyncify WASM measured faster than the plain build, the reverse of inference
// (BENCHMARKS.md has the timings).
import { webOrt } from './ort-webgpu.ts';
import { serveTraining } from './train-serve.ts';

serveTraining(webOrt);
