// The page's handle on the training worker: start a run, pause, resume, stop, and hear back.
import type { TrainMessage, TrainRequest } from '../../workers/train-serve.ts';

export type { TrainMessage };

/** Starts a training worker that reports every message to `listener`. */
export function startTraining(
  request: Extract<TrainRequest, { type: 'start' | 'check-loss' | 'check-step' }>,
  listener: (message: TrainMessage) => void,
): { pause(): void; resume(): void; stop(): void } {
  const worker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), {
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
