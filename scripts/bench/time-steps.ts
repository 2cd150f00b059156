// How `npm run bench` times this trainer on either engine: warm-up steps, then the median of the
// timed ones.
import { median } from '../../lib/median.ts';
import type { Trainer } from '../../lib/train/trainer.ts';

/** Median ms per step over `steps` steps, after 3 warm-up steps. */
export async function timeSteps(trainer: Trainer, steps: number): Promise<number> {
  for (let i = 0; i < 3; i++) await trainer.stepOnce();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    await trainer.stepOnce();
    times.push(performance.now() - start);
  }
  return median(times);
}
