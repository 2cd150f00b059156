// A recorded run's milestones, the epochs that lessons 8 and 9 and the lab's warning quote: when it
// memorised, when the restricted loss (measured with the final key frequencies) and the test loss
// fell below 1, its phase boundaries, and how many slingshot spikes it had.
import type { HistoryRow } from './metrics.ts';
import { detectPhases } from './phases.ts';

export interface Milestones {
  memorised: number | null;
  /** First epoch after memorisation with the restricted loss below 1 (final key frequencies) */
  restrictedBelowOne: number | null;
  /** First epoch after memorisation with the test loss below 1 */
  testBelowOne: number | null;
  cleanupStart: number | null;
  cleanedUp: number | null;
  /** Evaluations after memorisation whose train loss is 10× or more the one before */
  spikes: number[];
}

/** The first row after `from` where `test` holds, or null when the run never gets there. */
function firstAfter<T extends { epoch: number }>(
  rows: readonly T[],
  from: number,
  test: (row: T) => boolean,
): number | null {
  return rows.find((row) => row.epoch > from && test(row))?.epoch ?? null;
}

/** The milestones of `rows`, with the restricted loss from `measured` (the final key frequencies). */
export function runMilestones(
  rows: readonly HistoryRow[],
  measured: readonly { epoch: number; restricted_loss: number | null }[],
): Milestones {
  const phases = detectPhases(rows);
  const memorised = phases.memorised ?? null;
  const after = memorised ?? 0;
  return {
    memorised,
    restrictedBelowOne: firstAfter(
      measured,
      after,
      (m) => m.restricted_loss !== null && m.restricted_loss < 1,
    ),
    testBelowOne: firstAfter(rows, after, (row) => row.test_loss < 1),
    cleanupStart: phases.cleanupStart ?? null,
    cleanedUp: phases.cleanedUp ?? null,
    spikes: rows
      .filter(
        (row, i) => i > 0 && row.epoch > after && row.train_loss >= 10 * rows[i - 1]!.train_loss,
      )
      .map((row) => row.epoch),
  };
}
