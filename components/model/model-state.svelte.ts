// What each model view keeps about the model it shows: the outputs once loaded, the progress
// measures once worked out, the download's progress, an error to show, and the backend the student
// picked. It reloads when the page's model changes (a dropped file), if it had been loaded.
import { errorMessage } from '../../lib/errors.ts';
import { onDestroy, onMount } from 'svelte';
import type { Backend } from '../../lib/train/browser-ort.ts';
import type { ProgressMeasures } from '../../lib/modarith/progress.ts';
import { loadModelOutputs, onModelChange, type ModelOutputs } from './model-client.ts';

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
  backend: Backend = $state('wasm');
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
        const { loaded, total } = at;
        [this.loaded, this.total] = [loaded, total];
        this.progress = total
          ? `Downloading the model: ${Math.round((100 * loaded) / total)}%`
          : `Downloading: ${loaded.toLocaleString('en')} bytes`;
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

  /** Stops following the page's model (call from onDestroy). */
  dispose(): void {
    this.#stop();
  }
}

/** The state of one model view: hydrated once mounted, following the page's model until destroyed. */
export function viewModelState(): ModelState {
  const model = new ModelState();
  onMount(() => (model.hydrated = true));
  onDestroy(() => model.dispose());
  return model;
}
