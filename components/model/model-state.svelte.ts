// What each model view keeps about the model it shows: the outputs once loaded, the download's
// progress, an error to show, and the backend the student picked. It reloads when the page's model
// changes (a dropped file), if it had been loaded.
import type { Backend } from '../../lib/train/browser-ort.ts';
import { loadModelOutputs, onModelChange, type ModelOutputs } from './model-client.ts';

export class ModelState {
  outputs: ModelOutputs | undefined = $state();
  progress = $state('');
  error = $state('');
  backend: Backend = $state('wasm');
  #stop: () => void;

  constructor() {
    this.#stop = onModelChange(() => {
      if (this.outputs || this.error) void this.load();
    });
  }

  /** Runs the page's model on the chosen backend, reporting the download's progress. */
  async load(): Promise<void> {
    this.error = '';
    this.outputs = undefined;
    this.progress = 'Starting the model…';
    try {
      this.outputs = await loadModelOutputs(this.backend, (loaded, total) => {
        this.progress = total
          ? `Downloading the model: ${Math.round((100 * loaded) / total)}%`
          : `Downloading: ${loaded.toLocaleString('en')} bytes`;
      });
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
    this.progress = '';
  }

  /** Stops following the page's model (call from onDestroy). */
  dispose(): void {
    this.#stop();
  }
}
