// One training step where grokking lives: a converged model (train loss near 1e-7), its Adam
// moments, and the step the graph takes against float64 PyTorch's (scripts/goldens_adamw.py).
// The exact loss matches; the naive float32 one, whose gradient is rounding noise there, does not.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { absentFromPaper, paramNames } from '../../lib/modarith/params.ts';
import { readSafetensors } from '../../lib/modarith/safetensors.ts';
import { loadState } from '../../lib/train/checkpoint.ts';
import { Trainer, type OrtModule } from '../../lib/train/trainer.ts';
import { relativeError } from './allclose.ts';
import { engines } from './web-ort.ts';

const dir = 'tests/fixtures/adamw';
const { state, settings } = loadState(new Uint8Array(readFileSync(`${dir}/state.safetensors`)));
const train = JSON.parse(readFileSync(`${dir}/split.json`, 'utf8')) as number[];
const golden = readSafetensors(new Uint8Array(readFileSync(`${dir}/update.safetensors`)));
const expected = (name: string) => new Float32Array(golden.tensors.get(name)!.bytes.slice().buffer);

/** The largest relative error of the step's update over the trained parameters, and the loss. */
async function stepError(ort: OrtModule, executionProviders: string[], loss: 'exact' | 'naive') {
  const trainer = await Trainer.create(
    ort,
    { ...settings, loss },
    { state, train, executionProviders },
  );
  const before = state.params;
  const trainLoss = await trainer.stepOnce();
  const after = (await trainer.state()).params;
  await trainer.release();
  const errors = paramNames
    .filter((name) => !absentFromPaper.has(name))
    .map((name) => {
      const update = after[name].data.map((x, i) => x - before[name].data[i]!);
      return { name, error: relativeError(update, expected(name)) };
    });
  const frozen = [...absentFromPaper].every((name) =>
    after[name].data.every((x, i) => x === before[name].data[i]),
  );
  return { trainLoss, errors, frozen };
}

describe('the converged state', () => {
  it('is a run of the paper’s model at a tiny loss', () => {
    expect(settings.architecture).toBe('paper');
    expect(Number(golden.metadata['loss'])).toBeLessThan(3e-7);
  });
});

describe.each(engines)(
  'an AdamW step at tiny loss on %s, against float64 PyTorch',
  (_name, ort, providers) => {
    it('exact loss: the update matches to 1e-3 in every parameter, the absent biases stay put', async () => {
      const { trainLoss, errors, frozen } = await stepError(ort, providers, 'exact');
      expect(Math.abs(trainLoss - Number(golden.metadata['loss'])) / trainLoss).toBeLessThan(1e-3);
      for (const { name, error } of errors) expect(error, name).toBeLessThan(1e-3);
      expect(frozen).toBe(true);
    });

    it('naive loss: the same step goes visibly wrong', async () => {
      const { errors } = await stepError(ort, providers, 'naive');
      expect(Math.max(...errors.map((e) => e.error))).toBeGreaterThan(1e-2);
    });
  },
);
