// Times full-batch training steps in the training worker: the median of the timed steps after a
// few warm-up ones, from the worker's progress messages (the median skips a stall).
import type { Backend } from '../../lib/train/browser-ort.ts';
import { median } from '../../lib/median.ts';
import type { TrainSettings } from '../../lib/train/trainer.ts';
import { startTraining, type TrainingEngine } from './trainer-client.ts';

export const warmSteps = 3;
export const timedSteps = 10;

/** The median ms per step on `backend` (and `engine`), and the size of the training set. */
export function timeSteps(
  settings: TrainSettings,
  backend: Backend,
  onStep: (step: number, of: number) => void,
  engine?: TrainingEngine,
): Promise<{ ms: number; trainSize: number; used: Backend }> {
  const times: number[] = [];
  let trainSize = 0;
  let used: Backend = backend;
  return new Promise((resolve, reject) => {
    startTraining(
      { type: 'start', settings, backend, epochs: warmSteps + timedSteps, evalEvery: 1e9 },
      (m) => {
        if (m.type === 'ready') [trainSize, used] = [m.trainSize, m.backend];
        else if (m.type === 'progress') {
          times[m.epoch] = performance.now();
          onStep(m.epoch, warmSteps + timedSteps);
        } else if (m.type === 'error') reject(new Error(m.message));
        else if (m.type === 'done') {
          const ms = median(
            Array.from(
              { length: timedSteps },
              (_, k) => times[warmSteps + k + 1]! - times[warmSteps + k]!,
            ),
          );
          resolve({ ms, trainSize, used });
        }
      },
      engine,
    );
  });
}
