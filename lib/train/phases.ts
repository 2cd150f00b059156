// The three phases of grokking (Nanda et al., 2023, §5.2) read off a run's history: memorisation,
// circuit formation and clean-up. The paper draws them by eye from the progress measures; these
// are simple rules that find the same boundaries on its runs, for a run watched live. A slingshot
// spike (lesson 8) lifts the train loss for a few hundred epochs: no rule may fire on one, so each
// must keep holding over the next evaluations, and the train loss a rule compares with is the
// lowest since memorisation, which a spike cannot lift.
import type { HistoryRow } from './metrics.ts';

export interface Phases {
  /** First epoch with train accuracy ≥ 99%: memorisation is over, circuit formation begins. */
  memorised?: number;
  /** First later epoch whose test loss is below a quarter of the highest since: clean-up begins. */
  cleanupStart?: number;
  /**
   * First later epoch with test accuracy ≥ 99% and test loss within 20× the lowest train loss
   * since memorisation.
   */
  cleanedUp?: number;
}

export type PhaseName = 'memorisation' | 'circuit formation' | 'clean-up' | 'after clean-up';

/** How many evaluations after the first a rule must keep holding before its boundary is taken. */
export const holdFor = 4;

/** Finds the phase boundaries reached so far in `rows` (in epoch order). */
export function detectPhases(rows: readonly HistoryRow[]): Phases {
  const phases: Phases = {};
  /** The first row from `start` at which `test` holds for it and the `holdFor` rows after it. */
  const firstHeld = (start: number, test: (row: HistoryRow, i: number) => boolean) => {
    let run = 0;
    for (let i = start; i < rows.length; i++) {
      run = test(rows[i]!, i) ? run + 1 : 0;
      if (run > holdFor) return i - holdFor;
    }
    return undefined;
  };
  const memorised = firstHeld(0, (row) => row.train_accuracy >= 0.99);
  if (memorised === undefined) return phases;
  phases.memorised = rows[memorised]!.epoch;
  // Running maxima of the test loss and minima of the train loss from memorisation on.
  const highest: number[] = [];
  const lowestTrain: number[] = [];
  for (let i = memorised; i < rows.length; i++) {
    highest[i] = Math.max(highest[i - 1] ?? 0, rows[i]!.test_loss);
    lowestTrain[i] = Math.min(lowestTrain[i - 1] ?? Infinity, rows[i]!.train_loss);
  }
  const cleanupStart = firstHeld(memorised + 1, (row, i) => row.test_loss < highest[i]! / 4);
  if (cleanupStart === undefined) return phases;
  phases.cleanupStart = rows[cleanupStart]!.epoch;
  const cleanedUp = firstHeld(
    cleanupStart + 1,
    (row, i) => row.test_accuracy >= 0.99 && row.test_loss <= 20 * lowestTrain[i]!,
  );
  if (cleanedUp !== undefined) phases.cleanedUp = rows[cleanedUp]!.epoch;
  return phases;
}

/** The phase a run is in at `epoch`, given its boundaries. */
export function phaseAt(phases: Phases, epoch: number): PhaseName {
  if (phases.memorised === undefined || epoch <= phases.memorised) return 'memorisation';
  if (phases.cleanupStart === undefined || epoch < phases.cleanupStart) return 'circuit formation';
  if (phases.cleanedUp === undefined || epoch <= phases.cleanedUp) return 'clean-up';
  return 'after clean-up';
}

/** A phase boundary to mark on a chart: its epoch and what happens there. */
export interface PhaseMark {
  epoch: number;
  name: string;
}

/** The boundaries found so far, in order, named: the lines on a run's charts. */
export function phaseBoundaries(phases: Phases): PhaseMark[] {
  const named: [number | undefined, string][] = [
    [phases.memorised, 'memorised'],
    [phases.cleanupStart, 'clean-up starts'],
    [phases.cleanedUp, 'cleaned up'],
  ];
  return named.flatMap(([epoch, name]) => (epoch === undefined ? [] : [{ epoch, name }]));
}
