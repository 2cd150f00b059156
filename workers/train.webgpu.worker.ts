// The training worker, on either backend: onnxruntime-web's WebGPU build, whose asyncify WASM
// also runs the WASM backend, since it trains faster there than the plain build (BENCHMARKS.md,
// "One engine or two").
import { webOrt } from './ort-webgpu.ts';
import { serveTraining } from './train-serve.ts';

serveTraining(webOrt);
