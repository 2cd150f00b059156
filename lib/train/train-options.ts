// The settings `npm run train` takes, checked before it writes anything: every problem named, so
// that a bad command line ends with a message instead of a stack trace or a silently wrong run.
import { isPrime } from '../modarith/data.ts';
import { maxModulus } from '../modarith/params.ts';
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
  return problems;
}
