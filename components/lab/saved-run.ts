// The lab's last run kept in the browser, so that closing or reloading the tab loses none of the
// curves that were shown (settings, every evaluated row, how far the run got) and the run can
// carry on from its last measured state.
import { checkLabSettings, type LabSettings } from '../../lib/train/lab-settings.ts';
import { historyProblem, type HistoryRow } from '../../lib/train/metrics.ts';
import type { Snapshot } from '../../lib/train/snapshots.ts';
import type { TrainState } from '../../lib/train/trainer.ts';

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

/**
 * The last run kept: `undefined` when there is none; `broken` (and the copy set aside under
 * another key, so that the lab can start afresh and the data is not lost) when it cannot be read.
 */
export function loadRun(): SavedRun | { broken: string } | undefined {
  let text: string | null;
  try {
    text = localStorage.getItem(key);
  } catch {
    return undefined; // storage blocked: nothing kept
  }
  if (text === null) return undefined;
  const problem = savedRunProblem(text);
  if (problem === undefined) {
    const run = JSON.parse(text) as SavedRun;
    // A run kept before the loss setting existed was trained with the naive loss.
    return { ...run, lab: { ...run.lab, loss: run.lab.loss ?? 'naive' } };
  }
  try {
    localStorage.setItem(`${key}.broken`, text);
    localStorage.removeItem(key);
  } catch {
    // Nothing more to do: the lab starts afresh either way.
  }
  return { broken: problem };
}

/** What is wrong with a kept run's text; undefined when the lab can show it. */
export function savedRunProblem(text: string): string | undefined {
  let run: Partial<SavedRun>;
  try {
    run = JSON.parse(text) as Partial<SavedRun>;
  } catch {
    return 'it is not JSON';
  }
  if (typeof run !== 'object' || run === null) return 'it is not an object';
  const checked = checkLabSettings(run.lab);
  if (!checked.ok) return `its settings are not valid (${checked.errors[0]})`;
  if (!(Number.isInteger(run.epoch) && run.epoch! >= 0)) return 'it has no whole epoch';
  return historyProblem(run.rows, run.lab!.p);
}

/** Forgets the kept run. */
export function clearRun(): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing to do.
  }
}

// The weights and optimiser state (up to a few MB), and the weight snapshots, go to IndexedDB, which stores typed arrays as
// they are; localStorage holds only text and a few MB in all.
const database = 'grokking-lab';
const store = 'state';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(database, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(store);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB is not available.'));
  });
}

async function transaction<T>(
  mode: IDBTransactionMode,
  act: (objects: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = act(db.transaction(store, mode).objectStore(store));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed.'));
    });
  } finally {
    db.close();
  }
}

/** Keeps the run's latest training state, so that it can carry on after a reload. */
export async function saveState(state: TrainState): Promise<void> {
  await transaction('readwrite', (objects) => objects.put(state, 'last')).catch(() => {});
}

/** The kept training state, if any. */
export async function loadState(): Promise<TrainState | undefined> {
  return transaction('readonly', (objects) => objects.get('last') as IDBRequest<TrainState>).catch(
    () => undefined,
  );
}

/** Forgets the kept training state and snapshots. */
export async function clearState(): Promise<void> {
  await transaction('readwrite', (objects) => objects.delete('last')).catch(() => {});
  await transaction('readwrite', (objects) => objects.delete('snapshots')).catch(() => {});
}

/** Keeps the run's weight snapshots (at most snapshotLimit.max), to measure them again later. */
export async function saveSnapshots(snapshots: Snapshot[]): Promise<void> {
  await transaction('readwrite', (objects) => objects.put(snapshots, 'snapshots')).catch(() => {});
}

/** The kept snapshots, or none. */
export async function loadSnapshots(): Promise<Snapshot[]> {
  const kept = await transaction(
    'readonly',
    (objects) => objects.get('snapshots') as IDBRequest<Snapshot[] | undefined>,
  ).catch(() => undefined);
  return Array.isArray(kept) ? kept : [];
}
