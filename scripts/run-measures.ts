// A recorded run's checkpoints measured again with one set of key frequencies (the final model's,
// as the paper measures every checkpoint, §5.1): one onnxruntime-node session whose weights are
// inputs, fed each checkpoint in turn. Used by package-model and seed-spread.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelConfig, Operation } from '../lib/modarith/config.ts';
import { inferenceGraph } from '../lib/modarith/export.ts';
import { allInputs } from '../lib/modarith/forward.ts';
import { paramNames } from '../lib/modarith/params.ts';
import { progressMeasures } from '../lib/modarith/progress.ts';
import { loadModel } from '../lib/modarith/safetensors.ts';
import type { RunMeasures } from '../lib/train/metrics.ts';

/** The file of a run's checkpoint at `epoch` (written by `npm run train`). */
export const checkpointPath = (runDir: string, epoch: number) =>
  join(runDir, 'checkpoints', `epoch-${epoch}.safetensors`);

/** Measures every checkpoint of `epochs` up to `final` that the run saved. */
export async function measureCheckpoints(
  runDir: string,
  run: { config: ModelConfig; op: Operation; train: number[]; keyFreqs: number[] },
  epochs: number[],
  final: number,
): Promise<RunMeasures['measures']> {
  const { p } = run.config;
  const session = await ort.InferenceSession.create(inferenceGraph(run.config).toModel());
  const tokens = new ort.Tensor('int64', BigInt64Array.from(allInputs(p), BigInt), [p * p, 3]);
  const measures: RunMeasures['measures'] = [];
  for (const epoch of epochs) {
    const path = checkpointPath(runDir, epoch);
    if (epoch > final || !existsSync(path)) continue;
    const { params } = loadModel(new Uint8Array(readFileSync(path)));
    const feeds: Record<string, ort.Tensor> = { tokens };
    for (const name of paramNames) {
      feeds[name] = new ort.Tensor('float32', params[name].data, params[name].shape);
    }
    const logits = (await session.run(feeds, ['logits']))['logits']!.data as Float32Array;
    const { restricted_loss, excluded_loss, embedding_norms } = progressMeasures({
      p,
      op: run.op,
      logits,
      keyFreqs: run.keyFreqs,
      params,
      train: run.train,
      embeddingNorms: true,
    });
    measures.push({
      epoch,
      restricted_loss: restricted_loss!,
      excluded_loss: excluded_loss!,
      embedding_norms: embedding_norms!.map((x) => Number(x.toPrecision(5))),
    });
  }
  await session.release();
  return measures;
}
