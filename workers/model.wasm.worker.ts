// The model worker on the WASM backend.
import { webOrt } from './ort-wasm.ts';
import { serveModel } from './model-serve.ts';

serveModel(webOrt, 'wasm');
