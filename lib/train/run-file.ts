// A finished run as one JSON file: its settings, its history measured the paper's way, its training
// split and its weight snapshots. The lab writes it and loads it back; `npm run cli -- analyze`
// measures it; an instructor can hand a run to a class. Format: docs/formats.md.
import type { ModelConfig, Operation } from '../modarith/config.ts';
import { makeDataset } from '../modarith/data.ts';
import { paramNames, paramShapes, type Params } from '../modarith/params.ts';
import { maxKeyFrequencies } from '../modarith/progress.ts';
import { checkFinite } from '../modarith/safetensors.ts';
import { formatShape, sizeOf } from '../modarith/tensor.ts';
import { jsonDepth, maxJsonDepth } from '../json-fields.ts';
import { excerpt } from '../printable.ts';
import { checkLabSettings, labKeys, laterLabKeys, type LabSettings } from './lab-settings.ts';
import { historyProblem, type HistoryRow } from './metrics.ts';
import { snapshotLimit, type Snapshot } from './snapshots.ts';
import type { TrainSettings } from './trainer.ts';

export const runFormat = 'grokking-run/1';

/** A run as the lab holds it. */
export interface Run {
  lab: LabSettings;
  history: HistoryRow[];
  /** The key frequencies the history's restricted and excluded losses are measured with */
  keyFreqs: number[];
  /** Training indices a·p + b, ascending */
  split: number[];
  snapshots: Snapshot[];
}

interface EncodedTensor {
  shape: number[];
  /** float32 little-endian, base64 */
  base64: string;
}

function encode(data: ArrayLike<number>): string {
  const bytes = new Uint8Array(Float32Array.from(data).buffer);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

function decode(base64: string, name: string): Float32Array {
  let text: string;
  try {
    text = atob(base64);
  } catch {
    throw new Error(`Tensor ${name} is not valid base64.`);
  }
  if (text.length % 4 !== 0) throw new Error(`Tensor ${name} is not a whole number of float32s.`);
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

/** The run as the text of its file. */
export function runToJson(run: Run): string {
  return JSON.stringify({
    format: runFormat,
    settings: run.lab,
    key_freqs: run.keyFreqs,
    split: run.split,
    history: run.history,
    snapshots: run.snapshots.map(({ epoch, params }) => ({
      epoch,
      tensors: Object.fromEntries(
        paramNames.map((name) => [
          name,
          { shape: params[name].shape, base64: encode(params[name].data) },
        ]),
      ),
    })),
  });
}

/** What is wrong with `split` as a training split of `op` mod p; undefined if nothing. */
export function splitProblem(split: unknown, op: Operation, p: number): string | undefined {
  const data = makeDataset(op, p);
  const { labels } = data;
  const ok =
    Array.isArray(split) &&
    split.every(
      (i: unknown, k) =>
        Number.isInteger(i) &&
        (i as number) >= 0 &&
        (i as number) < p * p &&
        labels[i as number] !== -1 &&
        (k === 0 || (i as number) > (split[k - 1] as number)),
    );
  if (!ok) return `split must be ascending, distinct inputs a·p + b of p = ${p}`;
  if (split.length === 0) return 'split is empty: the run has no training set';
  if (split.length >= data.indices.length) {
    return `split holds all ${data.indices.length} inputs of p = ${p}: the run has no test set`;
  }
  return undefined;
}

/** Reads a run file, or throws an error that names what is wrong with it. */
export function runFromJson(text: string): Run & { settings: TrainSettings } {
  if (jsonDepth(text) > maxJsonDepth) {
    throw new Error(
      `This file nests lists or objects more than ${maxJsonDepth} deep: it is not a run.`,
    );
  }
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error('This is not a JSON file.');
  }
  if (typeof file !== 'object' || file === null || file['format'] !== runFormat) {
    throw new Error(`This is not a run exported by the lab (format "${runFormat}").`);
  }
  const lab = file['settings'] as Record<string, unknown>;
  if (typeof lab !== 'object' || lab === null || Array.isArray(lab)) {
    throw new Error("The run's settings are missing.");
  }
  const missing = labKeys.filter((k) => !(k in lab) && !laterLabKeys.has(k));
  if (missing.length) throw new Error(`The run's settings lack ${missing.join(', ')}.`);
  const checked = checkLabSettings(lab);
  if (!checked.ok) throw new Error(`The run's settings are not valid: ${checked.errors.join(' ')}`);
  const { config, op } = checked.settings;
  const p = config.p;
  const isWholeList = (x: unknown): x is number[] =>
    Array.isArray(x) && x.every((v) => Number.isInteger(v));
  const keyFreqs = file['key_freqs'];
  if (!isWholeList(keyFreqs) || keyFreqs.some((k) => k < 1 || k > (p - 1) / 2)) {
    throw new Error(`key_freqs must be whole numbers from 1 to ${(p - 1) / 2}.`);
  }
  // A repeated frequency would count twice in the restricted loss, and names a key twice.
  if (new Set(keyFreqs).size !== keyFreqs.length) {
    throw new Error(`key_freqs must be distinct (got ${excerpt(keyFreqs.join(', '))}).`);
  }
  if (keyFreqs.length > maxKeyFrequencies) {
    throw new Error(
      `key_freqs lists ${keyFreqs.length} frequencies; a run file holds at most ${maxKeyFrequencies}.`,
    );
  }
  const split = file['split'];
  const problem = splitProblem(split, op, p);
  if (problem) throw new Error(`${problem}.`);
  const history = file['history'];
  const damaged = historyProblem(history, p);
  if (damaged) throw new Error(`The run's history is damaged: ${damaged}.`);
  const snapshots = file['snapshots'];
  if (!Array.isArray(snapshots)) throw new Error('snapshots must be a list.');
  // Each snapshot costs a forward pass over all p² inputs and a measure per key frequency: the
  // cap bounds what one file can cost (the lab keeps at most snapshotLimit.max).
  if (snapshots.length > snapshotLimit.max) {
    throw new Error(
      `The run has ${snapshots.length} snapshots; a run file holds at most ${snapshotLimit.max}.`,
    );
  }
  return {
    lab: checked.lab,
    settings: checked.settings,
    keyFreqs,
    split: split as number[],
    history: history as HistoryRow[],
    snapshots: readSnapshots(snapshots, config),
  };
}

/**
 * The snapshots' weights: epochs whole, from 0 and strictly increasing (a snapshot names one
 * moment of one run), every tensor of the shape the settings give, every weight finite.
 */
function readSnapshots(snapshots: unknown[], config: ModelConfig): Snapshot[] {
  const shapes = paramShapes(config);
  let previous = -1;
  return snapshots.map((entry, k) => {
    const s = (entry ?? {}) as { epoch?: unknown; tensors?: Record<string, EncodedTensor> };
    const epoch = s.epoch;
    if (!(typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 0)) {
      throw new Error(`Snapshot ${k} needs its epoch, a whole number ≥ 0.`);
    }
    if (epoch <= previous) {
      throw new Error(
        `Snapshot ${k} is at epoch ${epoch}, after one at epoch ${previous}: snapshot epochs must increase.`,
      );
    }
    previous = epoch;
    const params = {} as Params;
    for (const name of paramNames) {
      const tensor = s.tensors?.[name];
      const where = `${name} (snapshot at epoch ${epoch})`;
      if (!tensor || typeof tensor.base64 !== 'string')
        throw new Error(`Tensor ${where} is missing.`);
      const expected = shapes[name];
      if (formatShape(readShape(tensor.shape)) !== formatShape(expected)) {
        throw new Error(
          `Tensor ${where} has shape ${describeShape(tensor.shape)} where the settings give ${formatShape(expected)}.`,
        );
      }
      const data = decode(tensor.base64, where);
      const size = sizeOf(expected);
      if (data.length !== size) {
        throw new Error(
          `Tensor ${where} has ${data.length} numbers where shape ${expected.join('×')} needs ${size}.`,
        );
      }
      checkFinite(where, data);
      params[name] = { shape: expected, data };
    }
    return { epoch, params };
  });
}

/** A shape as written, if it is a list of whole numbers; else an empty list, which fits nothing. */
function readShape(shape: unknown): number[] {
  return Array.isArray(shape) && shape.every((d) => Number.isInteger(d)) ? shape : [];
}

function describeShape(shape: unknown): string {
  return Array.isArray(shape) && shape.every((d) => Number.isInteger(d))
    ? formatShape(shape)
    : excerpt(JSON.stringify(shape) ?? 'none');
}
