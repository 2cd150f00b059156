// One row of a training run's history: the epoch and the progress measures of that evaluation.
import type { ModelConfig, Operation } from '../modarith/config.ts';
import type { Params } from '../modarith/params.ts';
import { progressMeasures, type ProgressMeasures } from '../modarith/progress.ts';
import type { Evaluation } from './trainer.ts';

/** What every row has: the run's split and weights are always known. */
type Recorded =
  | 'train_loss'
  | 'test_loss'
  | 'train_accuracy'
  | 'test_accuracy'
  | 'excluded_loss'
  | 'gini_W_E'
  | 'gini_W_L'
  | 'sum_sq_weights';

/** Measures that older histories (the shipped run's among them) lack. */
type Newer = 'accuracy' | 'full_loss';

/** A row of history.json. */
export type HistoryRow = { epoch: number } & Omit<ProgressMeasures, Newer> &
  Partial<Pick<ProgressMeasures, Newer>> &
  Required<Pick<ProgressMeasures, Recorded>>;

/** measures.json: every checkpoint of a run re-measured with the final key frequencies. */
export interface RunMeasures {
  key_freqs: number[];
  measures: ({ epoch: number } & Required<
    Pick<ProgressMeasures, 'restricted_loss' | 'excluded_loss' | 'embedding_norms'>
  >)[];
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
