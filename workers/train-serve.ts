// Runs the trainer off the main thread. Messages in: start (settings, backend), pause, resume,
// stop. Messages out: ready, progress (epoch, loss), evaluation rows, done, error. The worker
// entries (train.wasm.worker.ts, train.webgpu.worker.ts) bring their onnxruntime-web build.
import { executionProviders, hasWebGpu, type Backend } from '../lib/train/browser-ort.ts';
import { historyRow, type HistoryRow } from '../lib/train/metrics.ts';
import { Trainer, type OrtModule, type TrainSettings } from '../lib/train/trainer.ts';

export type TrainRequest =
  | {
      type: 'start';
      settings: TrainSettings;
      backend: Backend;
      epochs: number;
      evalEvery: number;
      /** Optional fixed key frequencies for the restricted and excluded losses. */
      keyFreqs?: number[];
      /** Stop once the test accuracy reaches this (checked at each evaluation). */
      stopAtTestAccuracy?: number;
    }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

export type TrainMessage =
  | { type: 'ready'; backend: Backend; threads: number; trainSize: number }
  | { type: 'progress'; epoch: number; loss: number; stepsPerSecond: number }
  | { type: 'evaluation'; row: HistoryRow }
  | { type: 'done'; epoch: number; reason: 'finished' | 'stopped' | 'diverged' | 'generalised' }
  | { type: 'error'; message: string };

const post = (message: TrainMessage) => postMessage(message);
let paused = false;
let stopped = false;
let wake: (() => void) | undefined;

/** The onnxruntime-web build of this worker, and the backend it was built for. */
type Build = { ort: OrtModule & { env: { wasm: { numThreads?: number } } }; backend: Backend };

async function run(
  { ort, backend: built }: Build,
  request: Extract<TrainRequest, { type: 'start' }>,
): Promise<void> {
  const backend: Backend = built === 'webgpu' && (await hasWebGpu()) ? 'webgpu' : 'wasm';
  const trainer = await Trainer.create(ort, request.settings, {
    executionProviders: executionProviders(backend),
    preferredOutputLocation: backend === 'webgpu' ? 'gpu-buffer' : 'cpu',
  });
  post({
    type: 'ready',
    backend,
    threads: ort.env.wasm.numThreads ?? 1,
    trainSize: trainer.train.length,
  });
  const evaluate = async (): Promise<HistoryRow> => {
    const evaluation = await trainer.evaluate();
    const { params } = await trainer.state();
    const { labels } = trainer.data;
    const config = request.settings.config;
    const row = historyRow(
      evaluation,
      params,
      config,
      labels,
      trainer.train,
      request.settings.op,
      request.keyFreqs,
    );
    post({ type: 'evaluation', row });
    return row;
  };
  await evaluate();
  let started = performance.now();
  let since = trainer.epoch;
  while (trainer.epoch < request.epochs && !stopped) {
    if (paused) {
      await new Promise<void>((resolve) => (wake = resolve));
      [started, since] = [performance.now(), trainer.epoch];
      continue;
    }
    // onnxruntime resolves through microtasks only: yield to the task queue so that a pause or
    // stop message is handled before the next step, not after the run.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (paused || stopped) continue;
    const loss = await trainer.stepOnce();
    if (!Number.isFinite(loss)) {
      post({ type: 'done', epoch: trainer.epoch, reason: 'diverged' });
      await trainer.release();
      return;
    }
    const rate = (trainer.epoch - since) / ((performance.now() - started) / 1000);
    post({ type: 'progress', epoch: trainer.epoch, loss, stepsPerSecond: rate });
    if (trainer.epoch % request.evalEvery === 0 || trainer.epoch === request.epochs) {
      const row = await evaluate();
      if (row.test_accuracy >= (request.stopAtTestAccuracy ?? Infinity)) {
        post({ type: 'done', epoch: trainer.epoch, reason: 'generalised' });
        await trainer.release();
        return;
      }
    }
  }
  post({ type: 'done', epoch: trainer.epoch, reason: stopped ? 'stopped' : 'finished' });
  await trainer.release();
}

/** Answers the page's messages with `ort`, a build for `backend`. */
export function serveTraining(ort: Build['ort'], backend: Backend): void {
  // onnxruntime's threads run this script too; they must leave the messages to onnxruntime.
  if (self.name === 'em-pthread') return;
  addEventListener('message', (event: MessageEvent<TrainRequest>) => {
    const request = event.data;
    if (request.type === 'start') {
      run({ ort, backend }, request).catch((error: unknown) =>
        post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
    } else if (request.type === 'pause') paused = true;
    else if (request.type === 'resume') {
      paused = false;
      wake?.();
    } else {
      stopped = true;
      paused = false;
      wake?.();
    }
  });
}
