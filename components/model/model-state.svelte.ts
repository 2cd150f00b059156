// What the model views of a page share about the model they show: the outputs once loaded, the
// progress measures once worked out, the download's progress, an error to show, and the backend
// the student picked — one choice per page, remembered across pages and visits. When any view
// runs the model, every view on the page shows it. It reloads when the page's model changes (a
// dropped file), if it had been loaded.
import { errorMessage } from '../../lib/errors.ts';
import { downloadProgressText } from '../../lib/fetch-progress.ts';
import { onMount } from 'svelte';
import type { Backend } from '../../lib/train/browser-ort.ts';
import type { ProgressMeasures } from '../../lib/modarith/progress.ts';
import { loadModelOutputs, onModelChange, type ModelOutputs } from './model-client.ts';
import { pageStorage } from '../kept-storage.ts';

export class ModelState {
  outputs: ModelOutputs | undefined = $state();
  /** The model's measures: they arrive seconds after the outputs (key frequencies take longest). */
  measures: ProgressMeasures | undefined = $state();
  measureError = $state('');
  progress = $state('');
  /** Bytes downloaded and expected (0 when unknown), for the progress bar */
  loaded = $state(0);
  total = $state(0);
  error = $state('');
  backend: Backend = $state(savedBackend());
  /** The view's island has hydrated: its controls answer (tests wait for it) */
  hydrated = $state(false);
  #stop: () => void;
  /** Counts loads, so that a slow load's measures never land on a newer model. */
  #loads = 0;

  constructor() {
    this.#stop = onModelChange(() => {
      if (this.outputs || this.error) void this.load();
    });
  }

  /** Runs the page's model on the chosen backend, reporting the download's progress. */
  async load(): Promise<void> {
    this.error = '';
    this.outputs = undefined;
    this.measures = undefined;
    this.measureError = '';
    this.progress = 'Starting the model…';
    const load = ++this.#loads;
    try {
      const outputs = await loadModelOutputs(this.backend, (at) => {
        if ('stage' in at) {
          [this.loaded, this.total, this.progress] = [0, 0, at.stage];
          return;
        }
        [this.loaded, this.total, this.progress] = [
          at.loaded,
          at.total,
          downloadProgressText(at.what, at),
        ];
      });
      this.outputs = outputs;
      outputs.measures.then(
        (m) => load === this.#loads && (this.measures = m),
        (e: unknown) => load === this.#loads && (this.measureError = errorMessage(e)),
      );
    } catch (e) {
      this.error = errorMessage(e);
    }
    this.progress = '';
    [this.loaded, this.total] = [0, 0];
  }

  /** Runs the model unless it has run or is running: a link to a view shows the view at once. */
  start(): void {
    if (!this.outputs && !this.progress && !this.error) void this.load();
  }

  /** Chooses the backend for every view, remembers it, and reruns the model if it had run. */
  choose(backend: Backend): void {
    this.backend = backend;
    pageStorage.setItem(backendKey, backend); // refused (blocked, full): it holds for this page
    if (this.outputs) void this.load();
  }

  /** Stops following the page's model (call from onDestroy). */
  dispose(): void {
    this.#stop();
  }
}

/** Where the page's choice of backend is kept. */
export const backendKey = 'grokking:backend:v1';

function savedBackend(): Backend {
  // The server, which renders the views too, has no storage: WASM there.
  return typeof window !== 'undefined' && pageStorage.getItem(backendKey) === 'webgpu'
    ? 'webgpu'
    : 'wasm';
}

let page: ModelState | undefined;

/**
 * The state every model view of the page shares; its `hydrated` turns true once a view has mounted
 * (each island renders it only from its own hydration on). On the server, a fresh one per call.
 */
export function viewModelState(): ModelState {
  if (typeof window === 'undefined') {
    // The server renders each view once: there is no page's model to follow.
    const once = new ModelState();
    once.dispose();
    return once;
  }
  page ??= new ModelState();
  const model = page;
  onMount(() => (model.hydrated = true));
  return model;
}
