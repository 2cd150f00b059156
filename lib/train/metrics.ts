// One row of a training run's history: the epoch and the progress measures of that evaluation.
import type { ModelConfig, Operation } from '../modarith/config.ts';
import type { Params } from '../modarith/params.ts';
import { progressMeasures, type ProgressMeasures } from '../modarith/progress.ts';
import type { Evaluation } from './trainer.ts';

/** What every row has: the run's split and weights are always known. */
const recorded = [
  'train_loss',
  'test_loss',
  'train_accuracy',
  'test_accuracy',
  'excluded_loss',
  'gini_W_E',
  'gini_W_L',
  'sum_sq_weights',
] as const;
type Recorded = (typeof recorded)[number];

/** Measures that older histories (the shipped run's among them) lack. */
type Newer = 'accuracy' | 'full_loss';

/** A row of history.json. */
export type HistoryRow = { epoch: number } & Omit<ProgressMeasures, Newer> &
  Partial<Pick<ProgressMeasures, Newer>> &
  Required<Pick<ProgressMeasures, Recorded>>;

/** measures.json: every checkpoint of a run re-measured with the final key frequencies. */
export interface RunMeasures {
  key_freqs: number[];
  /** Addition runs only: both losses are numbers */
  measures: {
    epoch: number;
    restricted_loss: number;
    excluded_loss: number;
    embedding_norms: number[];
  }[];
}

/**
 * A recorded run's rows with their restricted and excluded losses (and embedding norms) as
 * measures.json gives them, measured with the final key frequencies as the paper measures; a row
 * measures.json lacks has neither loss.
 */
export function withFinalMeasures(history: HistoryRow[], final: RunMeasures): HistoryRow[] {
  const byEpoch = new Map(final.measures.map((m) => [m.epoch, m]));
  return history.map((row) => {
    const m = byEpoch.get(row.epoch);
    return m
      ? { ...row, ...m, key_freqs: final.key_freqs }
      : { ...row, restricted_loss: null, excluded_loss: null };
  });
}

/**
 * Measures an evaluation. Key frequencies: the given ones (the paper fixes them from the final
 * model), else those of the current model.
 */
export function historyRow(
  evaluation: Evaluation,
  params: Params,
  config: ModelConfig,
  train: readonly number[],
  op: Operation,
  keyFreqs?: readonly number[],
): HistoryRow {
  const measures = progressMeasures({
    p: config.p,
    op,
    logits: evaluation.logits,
    mlpPost: evaluation.mlp_post,
    ...(keyFreqs && { keyFreqs }),
    params,
    train,
    perFrequency: true,
    embeddingNorms: true,
  });
  // With the split and the weights given, every recorded field is there.
  return { epoch: evaluation.epoch, ...measures } as HistoryRow;
}

/** What is wrong with `value` as a history row of a model of modulus p; undefined if nothing. */
export function historyRowProblem(value: unknown, p: number): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'a row is not an object';
  }
  const row = value as Record<string, unknown>;
  const half = (p - 1) / 2;
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  const numbers = (x: unknown, length: number) =>
    Array.isArray(x) && x.length === length && x.every(finite);
  if (!(Number.isInteger(row['epoch']) && (row['epoch'] as number) >= 0)) {
    return 'a row has no whole epoch';
  }
  const at = `the row of epoch ${row['epoch']}`;
  for (const key of recorded) {
    const v = row[key];
    const nullable = key === 'excluded_loss';
    if (!(finite(v) || (nullable && v === null))) return `${at} has no number ${key}`;
  }
  if (!(finite(row['restricted_loss']) || row['restricted_loss'] === null)) {
    return `${at} has no number restricted_loss`;
  }
  const keys = row['key_freqs'];
  if (
    !Array.isArray(keys) ||
    keys.length > half ||
    !keys.every((k) => Number.isInteger(k) && k >= 1 && k <= half)
  ) {
    return `${at} has key_freqs that are not frequencies of p = ${p}`;
  }
  if (new Set(keys).size !== keys.length) return `${at} repeats a key frequency`;
  for (const key of ['embedding_norms', 'W_L_norms'] as const) {
    if (row[key] !== undefined && !numbers(row[key], half)) {
      return `${at} has ${key} that are not ${half} numbers`;
    }
  }
  const perFreq = row['excluded_loss_per_freq'];
  if (perFreq !== undefined && !numbers(perFreq, keys.length)) {
    return `${at} has excluded_loss_per_freq that do not match its key_freqs`;
  }
  return undefined;
}

/** What is wrong with `rows` as a history of a model of modulus p (epochs ascending). */
export function historyProblem(rows: unknown, p: number): string | undefined {
  if (!Array.isArray(rows)) return 'the history is not a list of rows';
  for (const [i, row] of rows.entries()) {
    const problem = historyRowProblem(row, p);
    if (problem) return problem;
    if (i > 0 && (row as HistoryRow).epoch <= (rows[i - 1] as HistoryRow).epoch) {
      return `the rows' epochs are not ascending at ${(row as HistoryRow).epoch}`;
    }
  }
  return undefined;
}
