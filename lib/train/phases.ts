// The three phases of grokking (Nanda et al., 2023, §5.2) read off a run's history: memorisation,
// circuit formation and clean-up. The paper draws them by eye from the progress measures; these
// are simple rules that find the same boundaries on its runs, for a run watched live.
import type { HistoryRow } from './metrics.ts';

export interface Phases {
  /** First epoch with train accuracy ≥ 99%: memorisation is over, circuit formation begins. */
  memorised?: number;
  /** First later epoch whose test loss is below a quarter of the highest since: clean-up begins. */
  cleanupStart?: number;
  /** First later epoch with test accuracy ≥ 99% and test loss within 20× the train loss. */
  cleanedUp?: number;
}

export type PhaseName = 'memorisation' | 'circuit formation' | 'clean-up' | 'generalised';

/** Finds the phase boundaries reached so far in `rows` (in epoch order). */
export function detectPhases(rows: readonly HistoryRow[]): Phases {
  const phases: Phases = {};
  let highest = 0;
  for (const row of rows) {
    if (phases.memorised === undefined) {
      if (row.train_accuracy >= 0.99) {
        phases.memorised = row.epoch;
        highest = row.test_loss;
      }
    } else if (phases.cleanupStart === undefined) {
      highest = Math.max(highest, row.test_loss);
      if (row.test_loss < highest / 4) phases.cleanupStart = row.epoch;
    } else if (row.test_accuracy >= 0.99 && row.test_loss <= 20 * row.train_loss) {
      phases.cleanedUp = row.epoch;
      break;
    }
  }
  return phases;
}

/** The phase a run is in at `epoch`, given its boundaries. */
export function phaseAt(phases: Phases, epoch: number): PhaseName {
  if (phases.memorised === undefined || epoch < phases.memorised) return 'memorisation';
  if (phases.cleanupStart === undefined || epoch < phases.cleanupStart) return 'circuit formation';
  if (phases.cleanedUp === undefined || epoch < phases.cleanedUp) return 'clean-up';
  return 'generalised';
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
