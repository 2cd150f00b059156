// Training state on disk: parameters, Adam moments and settings in one safetensors file; and the
// one check of everything `npm run train -- --resume` reads back (state, split and history).
import { checkSplit } from '../modarith/analyze.ts';
import { makeDataset } from '../modarith/data.ts';
import { checkFinite, loadModel, readSafetensors, saveTensors } from '../modarith/safetensors.ts';
import { paramNames, paramShapes, type ParamName } from '../modarith/params.ts';
import { formatShape } from '../modarith/tensor.ts';
import { parseJson } from '../json-fields.ts';
import { excerpt } from '../printable.ts';
import { slot } from './graph.ts';
import { historyProblem, type HistoryRow } from './metrics.ts';
import { checkSavedSettings } from './train-options.ts';
import type { TrainSettings, TrainState } from './trainer.ts';

/** The state as safetensors: TransformerLens parameters plus m.* and v.*, settings in metadata. */
export function saveState(state: TrainState, settings: TrainSettings): Uint8Array {
  const tensors = paramNames.flatMap((name) => {
    const shape = state.params[name].shape;
    return [
      { name, shape, data: state.params[name].data },
      { name: slot.m(name), shape, data: state.m[name] },
      { name: slot.v(name), shape, data: state.v[name] },
    ];
  });
  return saveTensors(tensors, {
    epoch: String(state.epoch),
    op: settings.op,
    p: String(settings.config.p),
    settings: JSON.stringify(settings),
  });
}

/**
 * Reads a state written by saveState, checked whole: settings that can train and agree with the
 * weights' shapes, a whole epoch ≥ 0, every moment m.* and v.* present, float32, of its
 * parameter's shape and finite. Throws a message naming the first thing wrong.
 */
export function loadState(file: Uint8Array): { state: TrainState; settings: TrainSettings } {
  const model = loadModel(file);
  const { tensors, metadata } = readSafetensors(file);
  if (metadata['settings'] === undefined || metadata['epoch'] === undefined) {
    throw new Error(
      'This file has no training state (settings and epoch): it is a model, not a run.',
    );
  }
  const checked = checkSavedSettings(parseJson(metadata['settings'], 'The saved settings'));
  if (!checked.ok) {
    throw new Error(`The saved settings are not valid: ${checked.problems.join(' ')}`);
  }
  const { settings } = checked;
  const { p, d_model, n_heads, d_head, d_mlp } = settings.config;
  const c = model.config;
  if (
    [c.p, c.d_model, c.n_heads, c.d_head, c.d_mlp].join() !==
    [p, d_model, n_heads, d_head, d_mlp].join()
  ) {
    throw new Error(
      `The saved settings (p ${p}, d_model ${d_model}, ${n_heads} heads, d_mlp ${d_mlp}) do not match ` +
        `the weights' shapes (p ${c.p}, d_model ${c.d_model}, ${c.n_heads} heads, d_mlp ${c.d_mlp}).`,
    );
  }
  const epochText = metadata['epoch'];
  if (!/^(0|[1-9][0-9]{0,8})$/.test(epochText)) {
    throw new Error(`The saved epoch must be a whole number ≥ 0, got "${excerpt(epochText)}".`);
  }
  const shapes = paramShapes(model.config);
  const moments = (kind: 'm' | 'v') =>
    Object.fromEntries(
      paramNames.map((name) => {
        const raw = tensors.get(slot[kind](name));
        if (!raw) throw new Error(`The training state lacks ${slot[kind](name)}.`);
        if (raw.dtype !== 'F32' || formatShape(raw.shape) !== formatShape(shapes[name])) {
          throw new Error(
            `The training state's ${slot[kind](name)} is ${excerpt(raw.dtype)} ${formatShape(raw.shape)}; ` +
              `expected F32 ${formatShape(shapes[name])}, the shape of ${name}.`,
          );
        }
        const data = new Float32Array(raw.bytes.slice().buffer);
        checkFinite(slot[kind](name), data);
        return [name, data];
      }),
    ) as Record<ParamName, Float32Array>;
  return {
    state: { epoch: Number(epochText), params: model.params, m: moments('m'), v: moments('v') },
    settings,
  };
}

/** A run read back to carry it on: its state, training split, history up to the state, commands. */
export interface ResumedRun {
  state: TrainState;
  settings: TrainSettings;
  train: number[];
  history: HistoryRow[];
  commands: string[];
}

/**
 * The one check of what a resumed run reads back: the state file, split.json and history.json,
 * each read by its function in turn and named in the message when it is wrong or unreadable. The history keeps its rows up to the state's epoch
 * (later ones were measured after the state was last saved) and must reach back to it.
 */
export function readResumedRun(files: {
  state: () => Uint8Array;
  split: () => string;
  history: () => string;
}): ResumedRun {
  const within = <T>(file: string, read: () => T): T => {
    try {
      return read();
    } catch (error) {
      throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  };
  const { state, settings } = within('state.safetensors', () => loadState(files.state()));
  const { p } = settings.config;
  const train = within('split.json', () =>
    checkSplit(parseJson(files.split(), 'The split'), p, makeDataset(settings.op, p).labels),
  );
  return within('history.json', () => {
    const saved = parseJson(files.history(), 'The history');
    if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) {
      throw new Error('The history file is not an object of settings, commands and history.');
    }
    const { history, commands } = saved as Record<string, unknown>;
    const damaged = historyProblem(history, p);
    if (damaged) throw new Error(`The history is damaged: ${damaged}.`);
    if (!Array.isArray(commands) || !commands.every((c) => typeof c === 'string')) {
      throw new Error('commands must be a list of the commands that made the run.');
    }
    const kept = (history as HistoryRow[]).filter((row) => row.epoch <= state.epoch);
    if (kept.length === 0 && state.epoch > 0) {
      throw new Error(`The history has no row at or before the state's epoch ${state.epoch}.`);
    }
    return { state, settings, train, history: kept, commands: commands as string[] };
  });
}
