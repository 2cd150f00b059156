// Runs the trainer off the main thread. Messages in: start (settings, backend, optionally a state
// to carry on from), pause, resume, stop; or a check of the loss or of one AdamW step against
// float64 (the /check/ page). Messages out: ready, progress (epoch, loss), evaluation
// rows with the state at that epoch, the kept snapshots measured again when the key frequencies
// change (for the lab), the state when paused, done (with the final state), error.
// The page keeps the latest state: to export the model, or to carry on on another backend. The
// worker entries (train.wasm.worker.ts, train.webgpu.worker.ts) bring their onnxruntime-web build.
import { measuresAt } from '../lib/train/lab-settings.ts';
import { errorMessage } from '../lib/errors.ts';
import type { DownloadMessage } from '../lib/fetch-progress.ts';
import {
  executionProviders,
  fetchRuntime,
  hasWebGpu,
  runtimeName,
  type Backend,
} from '../lib/train/browser-ort.ts';
import { historyRow, type HistoryRow } from '../lib/train/metrics.ts';
import {
  lossCheckGraph,
  lossFeeds,
  lossMismatches,
  type LossGolden,
} from '../lib/train/loss-check.ts';
import { checkStep, type StepCheck, type StepGolden } from '../lib/train/step-check.ts';
import {
  copyParams,
  keepSnapshot,
  remeasure,
  type Remeasured,
  type Snapshot,
} from '../lib/train/snapshots.ts';
import {
  Trainer,
  type OrtModule,
  type TrainSettings,
  type TrainState,
} from '../lib/train/trainer.ts';

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
      /** Carry on from this state (another backend's run) instead of the initialisation. */
      state?: TrainState;
      /**
       * Keep the weights at each evaluation and measure them all again whenever the key
       * frequencies change, and at the end (the lab); these are the earlier run's, when carrying on.
       */
      remeasure?: { snapshots: Snapshot[] };
    }
  /** The loss and its gradient on golden batches (the /check/ page), then the worker ends. */
  | { type: 'check-loss'; backend: Backend; golden: LossGolden }
  /** One AdamW step of a converged model against float64's (the /check/ page), then it ends. */
  | { type: 'check-step'; backend: Backend; golden: StepGolden }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

export type TrainMessage =
  | DownloadMessage
  | { type: 'ready'; backend: Backend; threads: number; trainSize: number }
  | { type: 'progress'; epoch: number; loss: number; stepsPerSecond: number }
  | { type: 'evaluation'; row: HistoryRow; state: TrainState }
  | { type: 'state'; state: TrainState }
  /** Every kept snapshot measured again with `keyFreqs`, the latest evaluation's */
  | { type: 'measured'; keyFreqs: number[]; rows: Remeasured[] }
  | {
      type: 'done';
      epoch: number;
      reason: 'finished' | 'stopped' | 'diverged' | 'generalised';
      /** The final state; absent when the run diverged (its weights are not finite) */
      state?: TrainState;
    }
  /** For each golden batch, what differs from float64 (empty when right), on `backend` */
  | { type: 'loss-checked'; backend: Backend; mismatches: { margin: number; found: string[] }[] }
  /** The step's update against float64's, on `backend` */
  | { type: 'step-checked'; backend: Backend; check: StepCheck }
  | { type: 'error'; message: string };

const post = (message: TrainMessage) => postMessage(message);

/** The buffers of a state, to transfer rather than copy. */
const buffersOf = (state: TrainState): ArrayBuffer[] =>
  Object.keys(state.params).flatMap((name) => {
    const key = name as keyof TrainState['params'];
    return [state.params[key].data, state.m[key], state.v[key]].map((a) => a.buffer as ArrayBuffer);
  });
let paused = false;
let stopped = false;
let wake: (() => void) | undefined;

/** The onnxruntime-web build of this worker. */
type WorkerOrt = OrtModule & Parameters<typeof fetchRuntime>[0];

async function run(
  ort: WorkerOrt,
  request: Extract<TrainRequest, { type: 'start' }>,
): Promise<void> {
  const backend: Backend = request.backend === 'webgpu' && (await hasWebGpu()) ? 'webgpu' : 'wasm';
  const trainer = await Trainer.create(ort, request.settings, {
    executionProviders: executionProviders(backend),
    preferredOutputLocation: backend === 'webgpu' ? 'gpu-buffer' : 'cpu',
    ...(request.state && { state: request.state }),
  });
  post({
    type: 'ready',
    backend,
    threads: ort.env.wasm.numThreads ?? 1,
    trainSize: trainer.train.length,
  });
  const { config, op } = request.settings;
  let snapshots = request.remeasure?.snapshots ?? [];
  let measuredWith: number[] | undefined;
  let lastEvaluated = -1;
  const evaluate = async (): Promise<HistoryRow> => {
    const evaluation = await trainer.evaluate();
    const state = await trainer.state();
    const row = historyRow(evaluation, state.params, config, trainer.train, op, request.keyFreqs);
    lastEvaluated = trainer.epoch;
    if (request.remeasure) {
      snapshots = keepSnapshot(snapshots, { epoch: row.epoch, params: copyParams(state.params) });
    }
    postMessage({ type: 'evaluation', row, state } satisfies TrainMessage, {
      transfer: buffersOf(state),
    });
    if (request.remeasure && row.key_freqs.join() !== measuredWith?.join()) {
      // The paper measures every checkpoint with the final key frequencies; the best guess of
      // them so far is the latest evaluation's, so the whole curve follows them.
      measuredWith = row.key_freqs;
      const rows = await remeasure(snapshots, measuredWith, (params) => trainer.logitsOf(params), {
        p: config.p,
        op,
        train: trainer.train,
      });
      post({ type: 'measured', keyFreqs: measuredWith, rows });
    }
    return row;
  };
  const finish = async (reason: 'finished' | 'stopped' | 'generalised') => {
    // The end of the run: its last weights measured, and the curves with their key frequencies.
    if (request.remeasure && lastEvaluated !== trainer.epoch) await evaluate();
    const state = await trainer.state();
    postMessage({ type: 'done', epoch: trainer.epoch, reason, state } satisfies TrainMessage, {
      transfer: buffersOf(state),
    });
    await trainer.release();
  };
  await evaluate();
  let started = performance.now();
  let since = trainer.epoch;
  while (trainer.epoch < request.epochs && !stopped) {
    if (paused) {
      const state = await trainer.state();
      postMessage({ type: 'state', state } satisfies TrainMessage, { transfer: buffersOf(state) });
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
    if (measuresAt(trainer.epoch, request.evalEvery, request.epochs)) {
      const row = await evaluate();
      if (row.test_accuracy >= (request.stopAtTestAccuracy ?? Infinity)) {
        await finish('generalised');
        return;
      }
    }
  }
  await finish(stopped ? 'stopped' : 'finished');
}

async function checkLoss(
  ort: WorkerOrt,
  request: Extract<TrainRequest, { type: 'check-loss' }>,
): Promise<void> {
  const backend: Backend = request.backend === 'webgpu' && (await hasWebGpu()) ? 'webgpu' : 'wasm';
  const { golden } = request;
  const session = await ort.InferenceSession.create(lossCheckGraph(golden, 'exact').toModel(), {
    executionProviders: executionProviders(backend),
  });
  const mismatches = [];
  for (const batch of golden.batches) {
    const out = await session.run(lossFeeds(ort, golden, batch));
    const loss = ((await out['loss']!.getData()) as Float32Array)[0]!;
    const grad = (await out['grad']!.getData()) as Float32Array;
    mismatches.push({ margin: batch.margin, found: lossMismatches(batch, loss, grad) });
  }
  await session.release();
  post({ type: 'loss-checked', backend, mismatches });
}

async function checkAdamWStep(
  ort: WorkerOrt,
  request: Extract<TrainRequest, { type: 'check-step' }>,
): Promise<void> {
  const backend: Backend = request.backend === 'webgpu' && (await hasWebGpu()) ? 'webgpu' : 'wasm';
  const check = await checkStep(ort, request.golden, 'exact', {
    executionProviders: executionProviders(backend),
  });
  post({ type: 'step-checked', backend, check });
}

/** Answers the page's messages with `ort`, an onnxruntime-web build with the WebGPU EP. */
export function serveTraining(ort: WorkerOrt): void {
  // onnxruntime's threads run this script too; they must leave the messages to onnxruntime.
  if (self.name === 'em-pthread') return;
  // The engine's WebAssembly downloads first, with its progress shown, then the task runs.
  const withRuntime = (task: () => Promise<void>) =>
    fetchRuntime(ort, (at) => post({ type: 'download', what: runtimeName, ...at }))
      .then(task)
      .catch((error: unknown) => post({ type: 'error', message: errorMessage(error) }));
  addEventListener('message', (event: MessageEvent<TrainRequest>) => {
    const request = event.data;
    if (request.type === 'start') void withRuntime(() => run(ort, request));
    else if (request.type === 'check-loss') void withRuntime(() => checkLoss(ort, request));
    else if (request.type === 'check-step') void withRuntime(() => checkAdamWStep(ort, request));
    else if (request.type === 'pause') paused = true;
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
