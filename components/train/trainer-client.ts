// The page's handle on the training worker: start a run, pause, resume, stop, and hear back.
import type { TrainMessage, TrainRequest } from '../../workers/train-serve.ts';

export type { TrainMessage };

/**
 * Which onnxruntime-web build trains: the WebGPU build on either backend (the lab's), or the plain
 * SIMD-threaded build on WASM (the model views' engine, which the /check/ page times beside it).
 */
export type TrainingEngine = 'webgpu-build' | 'plain-build';

/** Starts a training worker that reports every message to `listener`. */
export function startTraining(
  request: Extract<TrainRequest, { type: 'start' | 'check-loss' | 'check-step' }>,
  listener: (message: TrainMessage) => void,
  engine: TrainingEngine = 'webgpu-build',
): { pause(): void; resume(): void; stop(): void } {
  const worker =
    engine === 'webgpu-build'
      ? new Worker(new URL('../../workers/train.webgpu.worker.ts', import.meta.url), {
          type: 'module',
        })
      : new Worker(new URL('../../workers/train.plain.worker.ts', import.meta.url), {
          type: 'module',
        });
  worker.onmessage = (event: MessageEvent<TrainMessage>) => {
    listener(event.data);
    const last = ['done', 'error', 'loss-checked', 'step-checked'];
    if (last.includes(event.data.type)) worker.terminate();
  };
  worker.onerror = (event) => {
    listener({ type: 'error', message: event.message || 'The training worker failed to start.' });
    worker.terminate();
  };
  const send = (message: TrainRequest) => worker.postMessage(message);
  send(request);
  return {
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    stop: () => send({ type: 'stop' }),
  };
}
