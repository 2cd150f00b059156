// One row of a training run's history: losses, accuracies and the progress measures.
import {
  embeddingFrequencyNorms,
  excludedLoss,
  giniWE,
  giniWL,
  keyFrequencies,
  restrictedLoss,
  sumSquaredWeights,
} from '../modarith/measures.ts';
import type { ModelConfig, Operation } from '../modarith/config.ts';
import type { Params } from '../modarith/params.ts';
import type { Evaluation } from './trainer.ts';

export interface HistoryRow {
  epoch: number;
  train_loss: number;
  test_loss: number;
  train_accuracy: number;
  test_accuracy: number;
  /** The key frequencies the restricted and excluded losses use at this row. */
  key_freqs: number[];
  /** null for operations other than a + b, for which the measures are not defined. */
  restricted_loss: number | null;
  excluded_loss: number | null;
  gini_W_E: number;
  gini_W_L: number;
  sum_sq_weights: number;
  /** Norms of W_E's Fourier components for frequencies 1…(p−1)/2 (absent in older histories). */
  embedding_norms?: number[];
}

/**
 * Measures an evaluation. Key frequencies: the given ones (the paper fixes them from the final
 * model), else those of the current model.
 */
export function historyRow(
  evaluation: Evaluation,
  params: Params,
  config: ModelConfig,
  labels: Int32Array,
  train: readonly number[],
  op: Operation,
  keyFreqs?: readonly number[],
): HistoryRow {
  const { p, d_mlp } = config;
  // The Fourier directions cos, sin(w(a+b)) describe addition only.
  const additive = op === 'add';
  const freqs = keyFreqs ? [...keyFreqs] : keyFrequencies(evaluation.mlp_post, p, d_mlp).keyFreqs;
  return {
    epoch: evaluation.epoch,
    train_loss: evaluation.train_loss,
    test_loss: evaluation.test_loss,
    train_accuracy: evaluation.train_accuracy,
    test_accuracy: evaluation.test_accuracy,
    key_freqs: freqs,
    restricted_loss: additive ? restrictedLoss(evaluation.logits, p, labels, freqs) : null,
    excluded_loss: additive ? excludedLoss(evaluation.logits, p, labels, train, freqs) : null,
    gini_W_E: giniWE(params, p),
    gini_W_L: giniWL(params, p),
    sum_sq_weights: sumSquaredWeights(params),
    embedding_norms: Array.from(embeddingFrequencyNorms(params, p)),
  };
}
