// One model's full report: configuration, losses, accuracy and every progress measure.
import { modelOperation, type ModelConfig, type Operation } from './config.ts';
import { allInputs, forward } from './forward.ts';
import { progressMeasures, type ProgressMeasures } from './progress.ts';
import type { LoadedModel } from './safetensors.ts';
import { excerpt } from '../printable.ts';

/** The model's configuration and its progress measures (the CLI's JSON, the manifest's metrics). */
export type Analysis = Pick<ModelConfig, 'p' | 'd_model' | 'n_heads' | 'd_mlp'> & {
  op: Operation;
} & ProgressMeasures;

/**
 * Checks a training split: ascending distinct input indices a·p + b of defined pairs, some left
 * out for the test set (else the test loss and accuracy are not defined).
 */
export function checkSplit(train: unknown, p: number, labels: Int32Array): number[] {
  if (!Array.isArray(train) || train.length === 0) {
    throw new Error('The training split must be a non-empty JSON array of input indices a·p + b.');
  }
  const defined = labels.reduce((n, label) => n + (label === -1 ? 0 : 1), 0);
  if (train.length >= defined) {
    throw new Error(
      `The training split lists ${train.length} inputs, and p = ${p} has ${defined}: none is left for the test set.`,
    );
  }
  train.forEach((i: unknown, k) => {
    if (
      !Number.isInteger(i) ||
      (i as number) < 0 ||
      (i as number) >= p * p ||
      labels[i as number] === -1
    ) {
      throw new Error(
        `Training index ${excerpt(JSON.stringify(i) ?? String(i))} (entry ${k}) is not an input a·p + b of this model (p = ${p}).`,
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
  const { config, params } = model;
  const op = modelOperation(model.metadata);
  const { logits, hooks } = forward(params, config, allInputs(config.p), 'float64');
  const measures = progressMeasures({
    p: config.p,
    op,
    logits,
    mlpPost: hooks.mlp_post,
    params,
    perFrequency: true,
    ...(options.keyFreqs && { keyFreqs: options.keyFreqs }),
    ...(options.train && { train: options.train }),
  });
  const { p, d_model, n_heads, d_mlp } = config;
  return { p, d_model, n_heads, d_mlp, op, ...measures };
}
