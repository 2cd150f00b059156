// The lab's last run kept in the browser, so that closing or reloading the tab loses none of the
// curves that were shown (settings, every evaluated row, how far the run got) and the run can
// carry on from its last measured state.
import type { ModelConfig } from '../../lib/modarith/config.ts';
import { paramNames, paramShapes } from '../../lib/modarith/params.ts';
import { sizeOf } from '../../lib/modarith/tensor.ts';
import { checkLabSettings, type LabSettings } from '../../lib/train/lab-settings.ts';
import { historyProblem, type HistoryRow } from '../../lib/train/metrics.ts';
import { splitProblem } from '../../lib/train/run-file.ts';
import type { Snapshot } from '../../lib/train/snapshots.ts';
import type { TrainState } from '../../lib/train/trainer.ts';
import { scopedKey } from '../../lib/kept-store.ts';
import { pageStorage } from '../kept-storage.ts';

const key = 'grokking-lab/last-run';

export interface SavedRun {
  /** Which run this is: its training state and snapshots in IndexedDB carry the same id */
  id: string;
  lab: LabSettings;
  rows: HistoryRow[];
  epoch: number;
  /** A loaded run file's own training split; a run trained here has its settings' */
  split?: number[];
}

/** A new run's id: random, so that two tabs, or a run and a loaded file, never share one. */
export function newRunId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The name under which the run is kept (for watchKept). */
export const keptRunName = key;

/** The id of the run in a kept text, or undefined when there is none to read. */
export function keptRunId(text: string | null): string | undefined {
  if (text === null) return undefined;
  try {
    const id: unknown = (JSON.parse(text) as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps the run; false when the storage is full or blocked. A full store has removed the older
 * copy (kept-store.ts), so that the next visit shows no older run as this one: the page still
 * shows everything.
 */
export function saveRun(run: SavedRun): boolean {
  return pageStorage.setItem(key, JSON.stringify(run));
}

/**
 * The last run kept: `undefined` when there is none; `broken` (and the copy set aside under
 * another key, so that the lab can start afresh and the data is not lost) when it cannot be read.
 */
export function loadRun(): SavedRun | { broken: string } | undefined {
  const text = pageStorage.getItem(key);
  if (text === null) return undefined;
  const problem = savedRunProblem(text);
  if (problem === undefined) {
    const run = JSON.parse(text) as SavedRun;
    // A run kept before the loss setting existed was trained with the naive loss; one kept before
    // runs had ids matches no kept state.
    return { ...run, id: run.id ?? '', lab: { ...run.lab, loss: run.lab.loss ?? 'naive' } };
  }
  pageStorage.setAside(key, text);
  pageStorage.removeItem(key);
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
  if (run.id !== undefined && typeof run.id !== 'string') return 'its id is not text';
  if (run.split !== undefined) {
    const problem = splitProblem(run.split, checked.settings.op, checked.settings.config.p);
    if (problem) return problem;
  }
  return historyProblem(run.rows, run.lab!.p);
}

/** Forgets the kept run. */
export function clearRun(): void {
  pageStorage.removeItem(key);
}

// The weights and optimiser state (up to a few MB), and the weight snapshots, go to IndexedDB, which stores typed arrays as
// they are; localStorage holds only text and a few MB in all. The database is the base path's own
// ("grokking-lab" at the root, "/course/grokking-lab" under /course/); under another base, what the
// unscoped one kept from before is read while the base's own holds nothing (readKeptState checks
// that it is the run's own, by id).
const unscopedDatabase = 'grokking-lab';
const database = scopedKey(import.meta.env.BASE_URL, unscopedDatabase);
const store = 'state';

function open(name = database): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(store);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB is not available.'));
  });
}

async function transaction<T>(
  mode: IDBTransactionMode,
  act: (objects: IDBObjectStore) => IDBRequest<T>,
  name = database,
): Promise<T> {
  const db = await open(name);
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

/** The latest training state of run `runId`, so that it can carry on after a reload. */
export async function saveState(runId: string, state: TrainState): Promise<void> {
  await transaction('readwrite', (objects) => objects.put({ runId, state }, 'last')).catch(
    () => {},
  );
}

/** What is kept as the training state, unread: readKeptState checks it. */
export async function loadState(): Promise<unknown> {
  return readKept('last');
}

/** The value kept under `item`, from the base's own database or, while it has none, the unscoped one. */
async function readKept(item: string): Promise<unknown> {
  const read = (name: string) =>
    transaction('readonly', (objects) => objects.get(item) as IDBRequest<unknown>, name).catch(
      () => undefined,
    );
  const own = await read(database);
  return own === undefined && database !== unscopedDatabase ? read(unscopedDatabase) : own;
}

/** Forgets the kept training state and snapshots. */
export async function clearState(): Promise<void> {
  await transaction('readwrite', (objects) => objects.delete('last')).catch(() => {});
  await transaction('readwrite', (objects) => objects.delete('snapshots')).catch(() => {});
}

/** The training state and snapshots as kept, unread, for the progress file (lib/progress-file.ts). */
export async function loadLabItems(): Promise<{ last?: unknown; snapshots?: unknown }> {
  const [last, snapshots] = await Promise.all([readKept('last'), readKept('snapshots')]);
  return {
    ...(last === undefined ? {} : { last }),
    ...(snapshots === undefined ? {} : { snapshots }),
  };
}

/**
 * Keeps an imported run's training state and snapshots in place of these; absent ones are
 * forgotten. Rejects when IndexedDB refuses (unavailable, full), for the import to say so.
 */
export async function saveLabItems(items: { last?: unknown; snapshots?: unknown }): Promise<void> {
  for (const item of ['last', 'snapshots'] as const) {
    const value = items[item];
    await (value === undefined
      ? transaction('readwrite', (objects) => objects.delete(item))
      : transaction('readwrite', (objects) => objects.put(value, item)));
  }
}

/** Keeps run `runId`'s weight snapshots (at most snapshotLimit.max), to measure them again later. */
export async function saveSnapshots(runId: string, snapshots: Snapshot[]): Promise<void> {
  await transaction('readwrite', (objects) => objects.put({ runId, snapshots }, 'snapshots')).catch(
    () => {},
  );
}

/** What is kept as the snapshots, unread: readKeptSnapshots checks it. */
export async function loadSnapshots(): Promise<unknown> {
  return readKept('snapshots');
}

/** What reading back a kept state or its snapshots found. */
export type KeptRead<T> =
  | { kept: T }
  | { none: true }
  /** Another run's (a file loaded since, another tab): left for it */
  | { other: true }
  /** Damaged: of no use to any run */
  | { damaged: string };

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** What is wrong with `tensors` as every parameter's numbers at `config`'s shapes. */
function tensorsProblem(tensors: unknown, config: ModelConfig, what: string, wrapped: boolean) {
  if (!isRecord(tensors)) return `its ${what} are missing`;
  const shapes = paramShapes(config);
  for (const name of paramNames) {
    const tensor = tensors[name];
    const data = wrapped && isRecord(tensor) ? tensor['data'] : tensor;
    const size = sizeOf(shapes[name]);
    if (!(data instanceof Float32Array)) return `its ${what} lack ${name}`;
    if (data.length !== size) {
      return `its ${what} ${name} has ${data.length} numbers where ${shapes[name].join('×')} needs ${size}`;
    }
  }
  return undefined;
}

/** The kept training state, if it is run `runId`'s and fits `config`'s shapes. */
export function readKeptState(
  value: unknown,
  runId: string,
  config: ModelConfig,
): KeptRead<TrainState> {
  if (value === undefined) return { none: true };
  if (!isRecord(value) || typeof value['runId'] !== 'string' || !isRecord(value['state'])) {
    return { damaged: 'it is not a run’s state' };
  }
  if (value['runId'] !== runId) return { other: true };
  const state = value['state'];
  if (!(Number.isInteger(state['epoch']) && (state['epoch'] as number) >= 0)) {
    return { damaged: 'it has no whole epoch' };
  }
  const problem =
    tensorsProblem(state['params'], config, 'parameters', true) ??
    tensorsProblem(state['m'], config, 'first moments', false) ??
    tensorsProblem(state['v'], config, 'second moments', false);
  return problem ? { damaged: problem } : { kept: state as unknown as TrainState };
}

/** The kept snapshots, if they are run `runId`'s and every one fits `config`'s shapes. */
export function readKeptSnapshots(
  value: unknown,
  runId: string,
  config: ModelConfig,
): KeptRead<Snapshot[]> {
  if (value === undefined) return { none: true };
  if (
    !isRecord(value) ||
    typeof value['runId'] !== 'string' ||
    !Array.isArray(value['snapshots'])
  ) {
    return { damaged: 'they are not a run’s snapshots' };
  }
  if (value['runId'] !== runId) return { other: true };
  for (const snapshot of value['snapshots'] as unknown[]) {
    if (!isRecord(snapshot) || !Number.isInteger(snapshot['epoch'])) {
      return { damaged: 'a snapshot has no whole epoch' };
    }
    const problem = tensorsProblem(snapshot['params'], config, 'parameters', true);
    if (problem) return { damaged: `the snapshot at epoch ${snapshot['epoch']}: ${problem}` };
  }
  return { kept: value['snapshots'] as Snapshot[] };
}
