// The lab's settings as the student edits them and as a URL shares them, checked with messages.
import { operations, type Operation } from '../modarith/config.ts';
import { isPrime } from '../modarith/data.ts';
import { lossKinds, type LossKind } from './loss.ts';
import { stepKind, type TrainSettings } from './trainer.ts';

export interface LabSettings {
  op: Operation;
  p: number;
  fraction: number;
  d_model: number;
  n_heads: number;
  d_mlp: number;
  lr: number;
  weightDecay: number;
  seed: number;
  epochs: number;
  /** The loss's float32 form: exact, or naive to produce the slingshot spikes on purpose. */
  loss: LossKind;
}

/** The lab's fields from full training settings and a number of epochs. */
export function labSettingsOf(s: TrainSettings, epochs: number): LabSettings {
  const { p, d_model, n_heads, d_mlp } = s.config;
  return {
    op: s.op,
    p,
    fraction: s.fraction,
    d_model,
    n_heads,
    d_mlp,
    lr: s.lr,
    weightDecay: s.weightDecay,
    seed: s.seed,
    epochs,
    loss: stepKind(s).loss,
  };
}

/** Training settings from the lab's fields, or the list of what is wrong with them. */
export function checkLabSettings(
  lab: LabSettings,
): { ok: true; settings: TrainSettings } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const need = (ok: boolean, message: string) => ok || errors.push(message);
  const whole = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;
  need(operations.includes(lab.op), `The operation must be one of ${operations.join(', ')}.`);
  need(whole(lab.p, 5, 127) && isPrime(lab.p), `p must be a prime from 5 to 127 (got ${lab.p}).`);
  need(lab.fraction >= 0.05 && lab.fraction <= 0.95, 'The training fraction must be 5% to 95%.');
  need(whole(lab.n_heads, 1, 8), 'Heads must be a whole number from 1 to 8.');
  need(whole(lab.d_model, 4, 256), 'd_model must be a whole number from 4 to 256.');
  need(
    lab.d_model % lab.n_heads === 0,
    `d_model (${lab.d_model}) must be a multiple of the heads (${lab.n_heads}).`,
  );
  need(whole(lab.d_mlp, 4, 1024), 'd_mlp must be a whole number from 4 to 1024.');
  need(lab.lr > 0 && lab.lr <= 0.1, 'The learning rate must be above 0 and at most 0.1.');
  need(lab.weightDecay >= 0 && lab.weightDecay <= 10, 'Weight decay must be from 0 to 10.');
  need(whole(lab.seed, 0, 2 ** 31 - 1), 'The seed must be a whole number ≥ 0.');
  need(whole(lab.epochs, 1, 100_000), 'Epochs must be a whole number from 1 to 100,000.');
  // A run kept or exported before the setting existed was trained with the naive loss.
  const loss = (lab.loss as LossKind | undefined) ?? 'naive';
  need(lossKinds.includes(loss), `The loss must be one of ${lossKinds.join(', ')}.`);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      config: {
        p: lab.p,
        d_model: lab.d_model,
        n_heads: lab.n_heads,
        d_head: lab.d_model / lab.n_heads,
        d_mlp: lab.d_mlp,
      },
      op: lab.op,
      fraction: lab.fraction,
      lr: lab.lr,
      weightDecay: lab.weightDecay,
      beta1: 0.9,
      beta2: 0.98,
      warmup: 10,
      seed: lab.seed,
      loss,
      architecture: 'paper',
    },
  };
}

/** Every setting of the lab, in the order a URL lists them. */
export const labKeys: (keyof LabSettings)[] = [
  'op',
  'p',
  'fraction',
  'd_model',
  'n_heads',
  'd_mlp',
  'lr',
  'weightDecay',
  'seed',
  'epochs',
  'loss',
];

/** Settings a run kept or exported before they existed may lack (checkLabSettings fills them). */
export const laterLabKeys: ReadonlySet<keyof LabSettings> = new Set(['loss']);

/** The settings as a URL query string, to share a configuration. */
export function labQuery(lab: LabSettings): string {
  return new URLSearchParams(labKeys.map((k) => [k, String(lab[k])])).toString();
}

/** Settings from a URL query over `fallback`; unknown or missing keys keep the fallback's values. */
export function labFromQuery(query: string, fallback: LabSettings): LabSettings {
  const params = new URLSearchParams(query);
  const lab = { ...fallback };
  for (const k of labKeys) {
    const text = params.get(k);
    if (text === null) continue;
    if (k === 'op') lab.op = text as Operation;
    else if (k === 'loss') lab.loss = text as LossKind;
    else lab[k] = Number(text);
  }
  return lab;
}

/** How each setting reads in a label. */
const names: Record<keyof LabSettings, string> = {
  op: 'op',
  p: 'p',
  fraction: 'fraction',
  d_model: 'd_model',
  n_heads: 'heads',
  d_mlp: 'd_mlp',
  lr: 'lr',
  weightDecay: 'weight decay',
  seed: 'seed',
  epochs: 'epochs',
  loss: 'loss',
};

/** A label per run naming only what differs between them ("weight decay 0.3"), else "run N". */
export function differences(labs: readonly LabSettings[]): string[] {
  const varying = labKeys.filter((k) => new Set(labs.map((lab) => String(lab[k]))).size > 1);
  return labs.map((lab, i) =>
    varying.length ? varying.map((k) => `${names[k]} ${lab[k]}`).join(', ') : `run ${i + 1}`,
  );
}

/** The settings of a sweep: `base` with one setting at each of three values. */
export const sweeps = {
  weightDecay: { title: 'weight decay', values: [0.3, 1, 3] },
  fraction: { title: 'training fraction', values: [0.3, 0.5, 0.7] },
} as const;
export type SweepKind = keyof typeof sweeps;

/** The runs of a sweep over `kind`, from `base`. */
export function sweepSettings(base: LabSettings, kind: SweepKind): LabSettings[] {
  return sweeps[kind].values.map((value) => ({ ...base, [kind]: value }));
}

/**
 * Whether a run measures itself at `epoch`: every `evalEvery` epochs and at the last, and, where
 * measurements are 100 epochs apart or more, ten times as often before the first of them, so that
 * a slow run — the paper's, hours on a CPU — draws curves within its first minutes, not one point.
 */
export function measuresAt(epoch: number, evalEvery: number, epochs: number): boolean {
  if (epoch % evalEvery === 0 || epoch === epochs) return true;
  if (evalEvery < 100) return false;
  return epoch < evalEvery && epoch % Math.round(evalEvery / 10) === 0;
}
