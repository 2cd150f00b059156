// One model's full report: configuration, losses, accuracy and every progress measure.
import { operations, type Operation } from './config.ts';
import { makeDataset } from './data.ts';
import { allInputs, forward } from './forward.ts';
import {
  excludedLoss,
  giniWE,
  giniWL,
  keyFrequencies,
  lossAndAccuracy,
  restrictedLoss,
  sumSquaredWeights,
} from './measures.ts';
import type { LoadedModel } from './safetensors.ts';

export interface Analysis {
  p: number;
  d_model: number;
  n_heads: number;
  d_mlp: number;
  op: Operation;
  accuracy: number;
  full_loss: number;
  train_loss?: number;
  test_loss?: number;
  train_accuracy?: number;
  test_accuracy?: number;
  key_freqs: number[];
  restricted_loss: number;
  excluded_loss?: number;
  /** Excluded loss with only key_freqs[j] removed, aligned with key_freqs. */
  excluded_loss_per_freq?: number[];
  gini_W_E: number;
  gini_W_L: number;
  sum_sq_weights: number;
}

/** Checks a training split: ascending distinct input indices a·p + b of defined pairs. */
export function checkSplit(train: unknown, p: number, labels: Int32Array): number[] {
  if (!Array.isArray(train) || train.length === 0) {
    throw new Error('The training split must be a non-empty JSON array of input indices a·p + b.');
  }
  train.forEach((i: unknown, k) => {
    if (
      !Number.isInteger(i) ||
      (i as number) < 0 ||
      (i as number) >= p * p ||
      labels[i as number] === -1
    ) {
      throw new Error(
        `Training index ${JSON.stringify(i)} (entry ${k}) is not an input a·p + b of this model (p = ${p}).`,
      );
    }
    if (k > 0 && (i as number) <= (train[k - 1] as number)) {
      throw new Error(
        `The training indices must be ascending and distinct; entry ${k} (${i}) is not.`,
      );
    }
  });
  return train as number[];
}

/** Analyses a model over all p² inputs; `train` enables train/test/excluded losses. */
export function analyze(
  model: LoadedModel,
  options: { train?: number[]; keyFreqs?: number[] } = {},
): Analysis {
  const { config, params, metadata } = model;
  const { p } = config;
  const op = operations.find((o) => o === (metadata['op'] ?? 'add'));
  if (!op) throw new Error(`Unknown operation "${metadata['op']}" in the file's metadata.`);
  if (op !== 'add') {
    throw new Error(`The progress measures are defined for a + b (this model is "${op}").`);
  }
  const data = makeDataset(op, p);
  const { logits, hooks } = forward(params, config, allInputs(p), 'float64');
  const full = lossAndAccuracy(logits, p, data.labels, data.indices);
  const freqs = options.keyFreqs ?? keyFrequencies(hooks.mlp_post, p, config.d_mlp).keyFreqs;
  for (const k of freqs) {
    if (!(Number.isInteger(k) && k >= 1 && k <= (p - 1) / 2)) {
      throw new Error(`Key frequency ${k} is outside 1…${(p - 1) / 2}.`);
    }
  }
  const analysis: Analysis = {
    p,
    d_model: config.d_model,
    n_heads: config.n_heads,
    d_mlp: config.d_mlp,
    op,
    accuracy: full.accuracy,
    full_loss: full.loss,
    key_freqs: freqs,
    restricted_loss: restrictedLoss(logits, p, data.labels, freqs),
    gini_W_E: giniWE(params, p),
    gini_W_L: giniWL(params, p),
    sum_sq_weights: sumSquaredWeights(params),
  };
  if (options.train) {
    const train = options.train;
    const inTrain = new Set(train);
    const test = data.indices.filter((i) => !inTrain.has(i));
    const trainResult = lossAndAccuracy(logits, p, data.labels, train);
    const testResult = lossAndAccuracy(logits, p, data.labels, test);
    analysis.train_loss = trainResult.loss;
    analysis.train_accuracy = trainResult.accuracy;
    analysis.test_loss = testResult.loss;
    analysis.test_accuracy = testResult.accuracy;
    analysis.excluded_loss = excludedLoss(logits, p, data.labels, train, freqs);
    analysis.excluded_loss_per_freq = freqs.map((k) =>
      excludedLoss(logits, p, data.labels, train, [k]),
    );
  }
  return analysis;
}
