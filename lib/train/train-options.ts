// The settings `npm run train` takes, checked before it writes anything: every problem named, so
// that a bad command line ends with a message instead of a stack trace or a silently wrong run.
import { operations } from '../modarith/config.ts';
import { isPrime, makeDataset } from '../modarith/data.ts';
import { maxModulus } from '../modarith/params.ts';
import { excerpt } from '../printable.ts';
import { architectures } from './graph.ts';
import { lossKinds } from './loss.ts';
import type { TrainSettings } from './trainer.ts';

/** The options that make a run's settings: a resumed run keeps its own, so these are refused. */
export const settingOptions = [
  'op',
  'p',
  'd-model',
  'heads',
  'd-mlp',
  'fraction',
  'lr',
  'wd',
  'beta1',
  'beta2',
  'warmup',
  'seed',
  'loss',
  'architecture',
] as const;

/** Every option `npm run train` knows; anything else is a typo. */
export const trainOptions = [
  'out',
  'epochs',
  'eval-every',
  'checkpoints',
  'checkpoint-every',
  'key-freqs',
  ...settingOptions,
] as const;
export const trainFlags = ['resume', 'quiet'] as const;

/**
 * Settings read back from a file, every field of the right kind, or the list of what is wrong:
 * numbers finite (an edited `"abc"` or null is named, not trained on), names among the known ones,
 * then every rule trainSettingsProblems checks.
 */
export function checkSavedSettings(
  value: unknown,
): { ok: true; settings: TrainSettings } | { ok: false; problems: string[] } {
  const isObject = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObject(value) || !isObject(value['config'])) {
    return { ok: false, problems: ['the settings are not an object with a config.'] };
  }
  const problems: string[] = [];
  const numbers = [
    ...(['p', 'd_model', 'n_heads', 'd_head', 'd_mlp'] as const).map(
      (key) => [`config.${key}`, (value['config'] as Record<string, unknown>)[key]] as const,
    ),
    ...(['fraction', 'lr', 'weightDecay', 'beta1', 'beta2', 'warmup', 'seed'] as const).map(
      (key) => [key, value[key]] as const,
    ),
  ];
  for (const [key, x] of numbers) {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      problems.push(
        `${key} must be a finite number, got ${excerpt(JSON.stringify(x) ?? 'nothing')}.`,
      );
    }
  }
  const oneOf = (key: string, known: readonly string[], optional: boolean) => {
    const x = value[key];
    if (!(optional && x === undefined) && !known.includes(x as string)) {
      problems.push(
        `${key} must be one of ${known.join(', ')}, got ${excerpt(JSON.stringify(x) ?? 'nothing')}.`,
      );
    }
  };
  oneOf('op', operations, false);
  oneOf('loss', lossKinds, true);
  oneOf('architecture', architectures, true);
  if (problems.length > 0) return { ok: false, problems };
  const settings = value as unknown as TrainSettings;
  const { d_model, n_heads, d_head } = settings.config;
  if (d_head * n_heads !== d_model) {
    problems.push(
      `config.d_head (${d_head}) times n_heads (${n_heads}) must be d_model (${d_model}).`,
    );
  }
  problems.push(...trainSettingsProblems(settings));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, settings };
}

/** What is wrong with these settings, one sentence each; empty when they can train. */
export function trainSettingsProblems(s: TrainSettings): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, message: string) => ok || problems.push(message);
  const whole = (x: number, lo: number) => Number.isInteger(x) && x >= lo;
  const { p, d_model, n_heads, d_mlp } = s.config;
  need(
    whole(p, 5) && p <= maxModulus && p % 2 === 1,
    `--p must be an odd whole number from 5 to ${maxModulus}, got ${p}.`,
  );
  need(
    s.op !== 'divide' || isPrime(p),
    `--op divide needs a prime p (division mod ${p} has no inverse for every b).`,
  );
  need(whole(d_model, 1), `--d-model must be a whole number ≥ 1, got ${d_model}.`);
  need(whole(n_heads, 1), `--heads must be a whole number ≥ 1, got ${n_heads}.`);
  need(Number.isInteger(s.config.d_head), '--d-model must be a multiple of --heads.');
  need(whole(d_mlp, 1), `--d-mlp must be a whole number ≥ 1, got ${d_mlp}.`);
  need(
    s.fraction > 0 && s.fraction < 1,
    `--fraction must be above 0 and below 1 (some pairs to train on, some to test), got ${s.fraction}.`,
  );
  need(s.lr > 0, `--lr must be above 0, got ${s.lr}.`);
  need(s.weightDecay >= 0, `--wd must be 0 or more, got ${s.weightDecay}.`);
  for (const [name, beta] of [
    ['beta1', s.beta1],
    ['beta2', s.beta2],
  ] as const) {
    need(beta >= 0 && beta < 1, `--${name} must be from 0 to below 1, got ${beta}.`);
  }
  need(whole(s.warmup, 0), `--warmup must be a whole number ≥ 0, got ${s.warmup}.`);
  need(whole(s.seed, 0), `--seed must be a whole number ≥ 0, got ${s.seed}.`);
  if (problems.length === 0) {
    // The split trains on ⌊fraction·n⌋ of the n pairs (and tests on the rest, at least one, as
    // the fraction is below 1): a small fraction rounds that to none.
    const n = makeDataset(s.op, p).indices.length;
    need(
      Math.floor(s.fraction * n) > 0,
      `--fraction ${s.fraction} of the ${n} pairs of p = ${p} leaves the training set empty: ` +
        `choose a fraction of at least 1/${n} (${(1 / n).toPrecision(3)}).`,
    );
  }
  return problems;
}
