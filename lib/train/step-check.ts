// The step check: one AdamW step of a converged model (train loss near 1e-7), where float32's
// naive loss is rounding noise, against float64 PyTorch's step from the same weights and moments
// (tests/fixtures/adamw, scripts/goldens_adamw.py). Run by the unit tests on onnxruntime-node and
// WASM and by the /check/ page on the browser's own backends.
import { absentFromPaper, paramNames } from '../modarith/params.ts';
import { readSafetensors } from '../modarith/safetensors.ts';
import { loadState } from './checkpoint.ts';
import type { LossKind } from './loss.ts';
import { Trainer, type OrtModule, type TrainerOptions } from './trainer.ts';

/**
 * The gradient the step used (read from its new first moment) within this of float64's, relative
 * to its largest entry, in every parameter; and the update within this or twice float32
 * PyTorch's own error, whichever is larger. Near equilibrium weight decay and the Adam step
 * almost cancel, and float32 weights hold their difference only to a few parts in a thousand:
 * PyTorch's float32 step is that far from float64's too (the golden records how far).
 */
export const stepTolerance = 1e-3;

/** The files of the check: the state before the step, its split, and float64's update. */
export interface StepGolden {
  state: Uint8Array;
  split: number[];
  update: Uint8Array;
}

export interface StepCheck {
  /** The training loss before the step, here and in float64 */
  loss: number;
  expectedLoss: number;
  /**
   * For each trained parameter, max |x − float64's| / max |float64's| of its gradient and its
   * update, and the update's tolerance (float32 PyTorch's error, doubled, or `stepTolerance`)
   */
  errors: { name: string; gradient: number; update: number; updateTolerance: number }[];
  /** Whether the parameters the paper's model lacks are left exactly as they were */
  frozen: boolean;
}

/** max |x − y| / max |y|. */
function relativeError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let [err, scale] = [0, 0];
  for (let i = 0; i < y.length; i++) {
    err = Math.max(err, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return scale === 0 ? err : err / scale;
}

/** Whether every parameter's gradient and update are within tolerance, the absent ones kept. */
export const stepIsRight = (c: StepCheck) =>
  c.frozen && c.errors.every((e) => e.gradient < stepTolerance && e.update < e.updateTolerance);

/** Takes the step with `loss` on `ort` and compares its gradient and update with float64's. */
export async function checkStep(
  ort: OrtModule,
  golden: StepGolden,
  loss: LossKind,
  options: Pick<TrainerOptions, 'executionProviders'> = {},
): Promise<StepCheck> {
  const { state, settings } = loadState(golden.state);
  const reference = readSafetensors(golden.update);
  const float32Error = JSON.parse(reference.metadata['float32_update_error'] ?? '{}') as Record<
    string,
    number
  >;
  const before = state.params;
  const { beta1 } = settings;
  const trainer = await Trainer.create(
    ort,
    { ...settings, loss },
    { ...options, state, train: golden.split },
  );
  let trainLoss: number;
  let after: Awaited<ReturnType<Trainer['state']>>;
  try {
    trainLoss = await trainer.stepOnce();
    after = await trainer.state();
  } finally {
    await trainer.release();
  }
  const errors = paramNames
    .filter((name) => !absentFromPaper.has(name))
    .map((name) => {
      const expected = (key: string) => {
        const raw = reference.tensors.get(key);
        if (!raw) throw new Error(`The reference step lacks ${key}.`);
        return new Float32Array(raw.bytes.slice().buffer);
      };
      const [m0, m1] = [state.m[name], after.m[name]];
      // m ← β₁m + (1 − β₁)g, undone in float64: the gradient to float32's precision of m.
      const gradient = Array.from(m1, (x, i) => (x - beta1 * m0[i]!) / (1 - beta1));
      const update = Array.from(after.params[name].data, (x, i) => x - before[name].data[i]!);
      return {
        name,
        gradient: relativeError(gradient, expected(`grad.${name}`)),
        update: relativeError(update, expected(name)),
        updateTolerance: Math.max(stepTolerance, 2 * (float32Error[name] ?? 0)),
      };
    });
  const frozen = [...absentFromPaper].every((name) =>
    after.params[name].data.every((x, i) => x === before[name].data[i]),
  );
  return { loss: trainLoss, expectedLoss: Number(reference.metadata['loss']), errors, frozen };
}
