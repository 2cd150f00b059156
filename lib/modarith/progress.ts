// The paper's progress measures of one model, assembled in one place from its outputs over all
// inputs (and its weights and training split where known). The CLI, the trainer's history, the
// model views and the packaging script all call `progressMeasures`; docs/measures.md defines each.
import type { Operation } from './config.ts';
import { makeDataset, testIndices } from './data.ts';
import {
  embeddingFrequencyNorms,
  excludedLoss,
  gini,
  keyFrequencies,
  logitMapFrequencyNorms,
  lossAndAccuracy,
  restrictedLoss,
  sumSquaredWeights,
} from './measures.ts';
import type { Params } from './params.ts';
import type { FloatArray } from './tensor.ts';

/** Every measure of one model, named as history.json, measures.json and the manifest name them. */
export interface ProgressMeasures {
  /** Over every input the operation is defined on */
  accuracy: number;
  full_loss: number;
  /** Need the training split */
  train_loss?: number;
  test_loss?: number;
  train_accuracy?: number;
  test_accuracy?: number;
  /** The key frequencies the restricted and excluded losses use */
  key_freqs: number[];
  /** null for operations other than a + b: the directions cos, sin(w(a+b)) describe addition only */
  restricted_loss: number | null;
  /** Needs the training split; null for operations other than a + b */
  excluded_loss?: number | null;
  /** Excluded loss with only key_freqs[j] removed, aligned with key_freqs (on request) */
  excluded_loss_per_freq?: number[];
  /** Need the weights */
  gini_W_E?: number;
  gini_W_L?: number;
  sum_sq_weights?: number;
  /** Norms of W_E's Fourier components for frequencies 1…(p−1)/2 (on request) */
  embedding_norms?: number[];
  /** Norms of W_L's Fourier components along its output axis, frequencies 1…(p−1)/2 (on request) */
  W_L_norms?: number[];
}

/** What a model computes over all p² inputs, and what else is known of it. */
export interface MeasureInput {
  p: number;
  op: Operation;
  /** Logits over all p² inputs, a-major, [p², p] */
  logits: ArrayLike<number>;
  /** MLP activations after ReLU at the last position, [p², d_mlp]: for the key frequencies */
  mlpPost?: FloatArray;
  /** Fixed key frequencies (the paper takes them from the final model); else found in mlpPost */
  keyFreqs?: readonly number[];
  params?: Params;
  /** Training indices a·p + b; the test set is every other defined input */
  train?: readonly number[];
  /** Also the excluded loss per key frequency (paper App. C) */
  perFrequency?: boolean;
  /** Also W_E's and W_L's norms per frequency (the spectrum charts) */
  embeddingNorms?: boolean;
}

/**
 * The most key frequencies measured at once. The paper's models use five (§4.1); each one costs an
 * excluded loss over all p² inputs, so the cap bounds what a file or an option can cost.
 */
export const maxKeyFrequencies = 16;

/**
 * Checks key frequencies: distinct whole numbers in 1…(p−1)/2, at most maxKeyFrequencies. Distinct,
 * because the projection onto their directions assumes the directions are orthonormal: a repeated
 * one counts twice.
 */
export function checkKeyFrequencies(freqs: readonly number[], p: number): number[] {
  const half = (p - 1) / 2;
  if (freqs.length > maxKeyFrequencies) {
    throw new Error(
      `${freqs.length} key frequencies are given; at most ${maxKeyFrequencies} are measured at once.`,
    );
  }
  freqs.forEach((k, i) => {
    if (!(Number.isInteger(k) && k >= 1 && k <= half)) {
      throw new Error(`Key frequency ${k} is outside 1…${half}.`);
    }
    if (freqs.indexOf(k) !== i) throw new Error(`Key frequency ${k} is given twice.`);
  });
  return [...freqs];
}

/** The progress measures of one model (float64 throughout; definitions in docs/measures.md). */
export function progressMeasures(input: MeasureInput): ProgressMeasures {
  const { p, op, logits, params, train } = input;
  const data = makeDataset(op, p);
  let freqs: number[];
  if (input.keyFreqs) freqs = checkKeyFrequencies(input.keyFreqs, p);
  else if (input.mlpPost) {
    freqs = keyFrequencies(input.mlpPost, p, input.mlpPost.length / (p * p)).keyFreqs;
  } else throw new Error('The key frequencies need either fixed frequencies or MLP activations.');
  const additive = op === 'add';
  const full = lossAndAccuracy(logits, p, data.labels, data.indices);
  const measures: ProgressMeasures = {
    accuracy: full.accuracy,
    full_loss: full.loss,
    key_freqs: freqs,
    restricted_loss: additive ? restrictedLoss(logits, p, data.labels, freqs) : null,
  };
  if (train) {
    const trainResult = lossAndAccuracy(logits, p, data.labels, train);
    const testResult = lossAndAccuracy(logits, p, data.labels, testIndices(data, train));
    measures.train_loss = trainResult.loss;
    measures.test_loss = testResult.loss;
    measures.train_accuracy = trainResult.accuracy;
    measures.test_accuracy = testResult.accuracy;
    measures.excluded_loss = additive ? excludedLoss(logits, p, data.labels, train, freqs) : null;
    if (input.perFrequency && additive) {
      measures.excluded_loss_per_freq = freqs.map((k) =>
        excludedLoss(logits, p, data.labels, train, [k]),
      );
    }
  }
  if (params) {
    const embedding = embeddingFrequencyNorms(params, p);
    const logitMap = logitMapFrequencyNorms(params, p);
    measures.gini_W_E = gini(embedding);
    measures.gini_W_L = gini(logitMap);
    measures.sum_sq_weights = sumSquaredWeights(params);
    if (input.embeddingNorms) {
      measures.embedding_norms = Array.from(embedding);
      measures.W_L_norms = Array.from(logitMap);
    }
  }
  return measures;
}
