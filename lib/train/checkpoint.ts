// Training state on disk: parameters, Adam moments and settings in one safetensors file.
import { loadModel, readSafetensors, saveTensors } from '../modarith/safetensors.ts';
import { paramNames, type ParamName } from '../modarith/params.ts';
import { slot } from './graph.ts';
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

/** Reads a state written by saveState. */
export function loadState(file: Uint8Array): { state: TrainState; settings: TrainSettings } {
  const model = loadModel(file);
  const { tensors, metadata } = readSafetensors(file);
  if (!metadata['settings'] || !metadata['epoch']) {
    throw new Error(
      'This file has no training state (settings and epoch): it is a model, not a run.',
    );
  }
  const moments = (kind: 'm' | 'v') =>
    Object.fromEntries(
      paramNames.map((name) => {
        const raw = tensors.get(slot[kind](name));
        if (!raw) throw new Error(`The training state lacks ${slot[kind](name)}.`);
        return [name, new Float32Array(raw.bytes.slice().buffer)];
      }),
    ) as Record<ParamName, Float32Array>;
  return {
    state: {
      epoch: Number(metadata['epoch']),
      params: model.params,
      m: moments('m'),
      v: moments('v'),
    },
    settings: JSON.parse(metadata['settings']) as TrainSettings,
  };
}
