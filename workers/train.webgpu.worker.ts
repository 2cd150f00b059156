// The training worker on the WebGPU backend (WASM inside the same build if no adapter answers).
import { webOrt } from './ort-webgpu.ts';
import { serveTraining } from './train-serve.ts';

serveTraining(webOrt, 'webgpu');
