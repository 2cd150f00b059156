// The model every island on a page looks at: the site's pretrained model, or a file the student
// dropped. Each (model, backend) runs once in a worker and its outputs over all inputs are shared.
// The site's model file is bundled under a hashed (versioned) name.
import modelUrl from '../../models/paper/model.onnx?url';
import splitUrl from '../../models/paper/split.json?url';
import type { DownloadMessage } from '../../lib/fetch-progress.ts';
import type { Backend } from '../../lib/train/browser-ort.ts';
import type { ProgressMeasures } from '../../lib/modarith/progress.ts';
import type { ModelMessage, ModelSource } from '../../workers/model-serve.ts';

/** The worker's outputs over all p² inputs (see model-serve.ts), and what the page adds. */
export type ModelOutputs = Omit<Extract<ModelMessage, { type: 'outputs' }>, 'type'> & {
  /** Which model: "the site's model" or the dropped file's name */
  name: string;
  backend: Backend;
  /** Resolves once the worker has worked out the progress measures (seconds later). */
  measures: Promise<ProgressMeasures>;
};

/** The model the page shows; `id` changes whenever another model is chosen. */
interface Current {
  id: number;
  name: string;
  source: () => ModelSource;
}

/** What the page calls the pretrained model, in running text. */
export const siteModelName = "the site's model";

const siteModel: Current = {
  id: 0,
  name: siteModelName,
  source: () => ({
    name: siteModelName,
    url: new URL(modelUrl, location.href).href,
    splitUrl: new URL(splitUrl, location.href).href,
  }),
};
let current = siteModel;
const listeners = new Set<() => void>();
const loads = new Map<string, Promise<ModelOutputs>>();

/** The name of the model the page shows. */
export function currentModelName(): string {
  return current.name;
}

/** Hears every change of model; returns the function that stops listening. */
export function onModelChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Shows a dropped file's model in every view (undefined: back to the site's model). */
export function useModelFile(file?: { name: string; bytes: Uint8Array }): void {
  current = file
    ? { id: current.id + 1, name: file.name, source: () => ({ ...file }) }
    : { ...siteModel, id: current.id + 1 };
  for (const listener of listeners) listener();
}

/** How far a load has come: bytes of `what` downloaded (total 0 when unknown), or a stage in words. */
export type LoadProgress = DownloadMessage | { stage: string };

/** Runs the current model on all inputs (once per backend); `onProgress` hears how far it is. */
export function loadModelOutputs(
  backend: Backend,
  onProgress: (progress: LoadProgress) => void = () => {},
): Promise<ModelOutputs> {
  const model = current;
  const key = `${model.id}/${backend}`;
  const cached = loads.get(key);
  if (cached) return cached;
  const result = new Promise<ModelOutputs>((resolve, reject) => {
    const worker =
      backend === 'webgpu'
        ? new Worker(new URL('../../workers/model.webgpu.worker.ts', import.meta.url), {
            type: 'module',
          })
        : new Worker(new URL('../../workers/model.wasm.worker.ts', import.meta.url), {
            type: 'module',
          });
    let used: Backend = backend;
    let settleMeasures: { resolve: (m: ProgressMeasures) => void; reject: (e: Error) => void };
    const measures = new Promise<ProgressMeasures>(
      (resolve, reject) => (settleMeasures = { resolve, reject }),
    );
    measures.catch(() => {});
    let outputsSent = false;
    worker.onmessage = (event: MessageEvent<ModelMessage>) => {
      const m = event.data;
      if (m.type === 'download') onProgress(m);
      else if (m.type === 'stage') onProgress({ stage: m.text });
      else if (m.type === 'ready') used = m.backend;
      else if (m.type === 'outputs') {
        outputsSent = true;
        const { p, nHeads, dMlp, logits, attn_pattern, mlp_post, ms } = m;
        resolve({
          ...{ p, nHeads, dMlp, logits, attn_pattern, mlp_post, ms },
          ...{ name: model.name, backend: used, measures },
        });
      } else if (m.type === 'measures') {
        worker.terminate();
        settleMeasures.resolve(m.measures);
      } else {
        worker.terminate();
        if (outputsSent) settleMeasures.reject(new Error(m.message));
        else reject(new Error(m.message));
      }
    };
    worker.onerror = () => {
      worker.terminate();
      reject(new Error('The model worker could not start in this browser.'));
    };
    worker.postMessage({ source: model.source() });
  });
  loads.set(key, result);
  result.catch(() => loads.delete(key));
  return result;
}
