// The lab's last run kept in the browser, so that closing or reloading the tab loses none of the
// curves that were shown: settings, every evaluated row, and how far the run got.
import type { LabSettings } from '../../lib/train/lab-settings.ts';
import type { HistoryRow } from '../../lib/train/metrics.ts';

const key = 'grokking-lab/last-run';

export interface SavedRun {
  lab: LabSettings;
  rows: HistoryRow[];
  epoch: number;
}

/** Keeps the run; a full or disabled storage only loses the copy, never the run in the page. */
export function saveRun(run: SavedRun): void {
  try {
    localStorage.setItem(key, JSON.stringify(run));
  } catch {
    // Storage full or blocked: the page still shows everything.
  }
}

/** The last run kept, if there is a readable one. */
export function loadRun(): SavedRun | undefined {
  try {
    const run = JSON.parse(localStorage.getItem(key) ?? 'null') as SavedRun | null;
    if (run && Array.isArray(run.rows) && run.lab && Number.isFinite(run.epoch)) return run;
  } catch {
    // A damaged copy is ignored.
  }
  return undefined;
}

/** Forgets the kept run. */
export function clearRun(): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing to do.
  }
}
