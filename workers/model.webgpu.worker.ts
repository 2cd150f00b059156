// The model worker on the WebGPU backend (WASM inside the same build if no adapter answers).
import { webOrt } from './ort-webgpu.ts';
import { serveModel } from './model-serve.ts';

serveModel(webOrt, 'webgpu');
