// The training worker on the WASM backend.
import { webOrt } from './ort-wasm.ts';
import { serveTraining } from './train-serve.ts';

serveTraining(webOrt, 'wasm');
