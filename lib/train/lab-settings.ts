// The lab's settings as the student edits them and as a URL shares them, checked with messages.
import { operations, type Operation } from '../modarith/config.ts';
import { isPrime } from '../modarith/data.ts';
import { excerpt } from '../printable.ts';
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

/** Each number setting: what it is called at the start of a sentence, and what it must be. */
const numberRules: Record<
  Exclude<keyof LabSettings, 'op' | 'loss'>,
  { label: string; expect: string; ok: (x: number) => boolean }
> = {
  p: { label: 'p', expect: 'a prime from 5 to 127', ok: (x) => whole(x, 5, 127) && isPrime(x) },
  fraction: {
    label: 'The training fraction',
    expect: 'from 0.05 to 0.95 (5% to 95%)',
    ok: (x) => x >= 0.05 && x <= 0.95,
  },
  d_model: {
    label: 'd_model',
    expect: 'a whole number from 4 to 256',
    ok: (x) => whole(x, 4, 256),
  },
  n_heads: { label: 'Heads', expect: 'a whole number from 1 to 8', ok: (x) => whole(x, 1, 8) },
  d_mlp: { label: 'd_mlp', expect: 'a whole number from 4 to 1024', ok: (x) => whole(x, 4, 1024) },
  lr: {
    label: 'The learning rate',
    expect: 'above 0 and at most 0.1',
    ok: (x) => x > 0 && x <= 0.1,
  },
  weightDecay: { label: 'Weight decay', expect: 'from 0 to 10', ok: (x) => x >= 0 && x <= 10 },
  seed: {
    label: 'The seed',
    expect: 'a whole number from 0 to 2,147,483,647',
    ok: (x) => whole(x, 0, 2 ** 31 - 1),
  },
  epochs: {
    label: 'Epochs',
    expect: 'a whole number from 1 to 100,000',
    ok: (x) => whole(x, 1, 100_000),
  },
};

function whole(x: number, lo: number, hi: number): boolean {
  return Number.isInteger(x) && x >= lo && x <= hi;
}

/** A value as a message quotes it: short, and always text. */
function shown(x: unknown): string {
  return excerpt(typeof x === 'number' ? String(x) : (JSON.stringify(x) ?? String(x)));
}

/**
 * Training settings from the lab's fields, or the list of what is wrong with them. The one check
 * of settings wherever they come from (the form, a link, a run file, a kept run): every number is
 * a finite number of the right kind, never an empty field (null), text, a list or true.
 */
export function checkLabSettings(
  value: unknown,
): { ok: true; settings: TrainSettings; lab: LabSettings } | { ok: false; errors: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: ['The settings are not an object of named settings.'] };
  }
  const lab = value as Record<string, unknown>;
  const errors: string[] = [];
  for (const [key, rule] of Object.entries(numberRules)) {
    const x = lab[key];
    if (x === null || x === undefined || x === '')
      errors.push(`${rule.label} is empty: enter ${rule.expect}.`);
    else if (typeof x !== 'number' || !rule.ok(x)) {
      errors.push(`${rule.label} must be ${rule.expect} (got ${shown(x)}).`);
    }
  }
  if (!operations.includes(lab['op'] as Operation)) {
    errors.push(`The operation must be one of ${operations.join(', ')} (got ${shown(lab['op'])}).`);
  }
  // A run kept or exported before the setting existed was trained with the naive loss.
  const loss = lab['loss'] === undefined ? 'naive' : (lab['loss'] as LossKind);
  if (!lossKinds.includes(loss)) {
    errors.push(`The loss must be one of ${lossKinds.join(', ')} (got ${shown(lab['loss'])}).`);
  }
  if (errors.length > 0) return { ok: false, errors };
  const checked = { ...(lab as unknown as LabSettings), loss };
  if (checked.d_model % checked.n_heads !== 0) {
    const { d_model, n_heads } = checked;
    return {
      ok: false,
      errors: [`d_model (${d_model}) must be a multiple of the heads (${n_heads}).`],
    };
  }
  const settings: TrainSettings = {
    config: {
      p: checked.p,
      d_model: checked.d_model,
      n_heads: checked.n_heads,
      d_head: checked.d_model / checked.n_heads,
      d_mlp: checked.d_mlp,
    },
    op: checked.op,
    fraction: checked.fraction,
    lr: checked.lr,
    weightDecay: checked.weightDecay,
    beta1: 0.9,
    beta2: 0.98,
    warmup: 10,
    seed: checked.seed,
    loss,
    architecture: 'paper',
  };
  return {
    ok: true,
    settings,
    lab: Object.fromEntries(labKeys.map((k) => [k, checked[k]])) as unknown as LabSettings,
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

/**
 * Settings from a URL query over `fallback`; unknown or missing keys keep the fallback's values.
 * An empty value (`seed=`) is an empty field, and text that is not a number is NaN, for
 * checkLabSettings to name: neither silently becomes 0.
 */
export function labFromQuery(query: string, fallback: LabSettings): LabSettings {
  const params = new URLSearchParams(query);
  const lab = { ...fallback };
  for (const k of labKeys) {
    const text = params.get(k);
    if (text === null) continue;
    if (k === 'op') lab.op = text as Operation;
    else if (k === 'loss') lab.loss = text as LossKind;
    else lab[k] = (text.trim() === '' ? null : Number(text)) as number;
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

/**
 * A label per run naming only what differs between them ("weight decay 0.3"), else "run N"; runs
 * with the same settings are told apart by their number ("weight decay 1 (run 2)"), so that no two
 * labels are the same.
 */
export function differences(labs: readonly LabSettings[]): string[] {
  const varying = labKeys.filter((k) => new Set(labs.map((lab) => String(lab[k]))).size > 1);
  const labels = labs.map((lab) => varying.map((k) => `${names[k]} ${lab[k]}`).join(', '));
  return labels.map((label, i) => {
    if (!label) return `run ${i + 1}`;
    return labels.indexOf(label) === labels.lastIndexOf(label) ? label : `${label} (run ${i + 1})`;
  });
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
