// The pretrained model for every island on a page: loaded once per backend in a worker, its
// outputs over all inputs shared. The model file is bundled under a hashed (versioned) name.
import modelUrl from '../../models/paper/model.onnx?url';
import type { Backend } from '../../lib/train/browser-ort.ts';
import type { ModelMessage } from '../../workers/model.worker.ts';

export const P = 113;

export interface ModelOutputs {
  backend: Backend;
  logits: Float32Array;
  attn_pattern: Float32Array;
  mlp_post: Float32Array;
  /** Time to run all p² inputs, in ms. */
  ms: number;
}

const loads = new Map<Backend, Promise<ModelOutputs>>();

/** Runs the pretrained model on all inputs (once per backend); `onProgress` hears the download. */
export function loadModelOutputs(
  backend: Backend,
  onProgress: (loaded: number, total: number) => void = () => {},
): Promise<ModelOutputs> {
  const cached = loads.get(backend);
  if (cached) return cached;
  const result = new Promise<ModelOutputs>((resolve, reject) => {
    const worker = new Worker(new URL('../../workers/model.worker.ts', import.meta.url), {
      type: 'module',
    });
    let used: Backend = backend;
    worker.onmessage = (event: MessageEvent<ModelMessage>) => {
      const m = event.data;
      if (m.type === 'download') onProgress(m.loaded, m.total);
      else if (m.type === 'ready') used = m.backend;
      else {
        worker.terminate();
        if (m.type === 'error') reject(new Error(m.message));
        else
          resolve({
            backend: used,
            logits: m.logits,
            attn_pattern: m.attn_pattern,
            mlp_post: m.mlp_post,
            ms: m.ms,
          });
      }
    };
    worker.onerror = () => {
      worker.terminate();
      reject(new Error('The model worker could not start in this browser.'));
    };
    worker.postMessage({ url: new URL(modelUrl, location.href).href, p: P, backend });
  });
  loads.set(backend, result);
  result.catch(() => loads.delete(backend));
  return result;
}
