// Packages a training run into a shipped model folder: the final model as ONNX (with hooks) and
// safetensors, a few checkpoints, the run's history and split, the progress measures of every
// checkpoint recomputed with the final model's key frequencies (as the paper defines them), and a
// manifest with hashes.
//   npm run package-model -- RUN_DIR OUT_DIR --final EPOCH --checkpoints E1,E2,E3
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyze } from '../lib/modarith/analyze.ts';
import { inferenceGraph } from '../lib/modarith/export.ts';
import { allInputs } from '../lib/modarith/forward.ts';
import { paramNames } from '../lib/modarith/params.ts';
import { progressMeasures } from '../lib/modarith/progress.ts';
import { loadModel } from '../lib/modarith/safetensors.ts';
import type { HistoryRow, RunMeasures } from '../lib/train/metrics.ts';
import type { TrainSettings } from '../lib/train/trainer.ts';

const usage = 'usage: npm run package-model -- RUN_DIR OUT_DIR --final EPOCH --checkpoints E1,E2,…';
const [runDir, outDir, ...rest] = process.argv.slice(2);
const option = (name: string) => rest[rest.indexOf(`--${name}`) + 1];
if (!runDir || !outDir || !rest.includes('--final')) {
  console.error(usage);
  process.exit(2);
}
const final = Number(option('final'));
const checkpoints = (option('checkpoints') ?? '').split(',').filter(Boolean).map(Number);

const run = JSON.parse(readFileSync(join(runDir, 'history.json'), 'utf8')) as {
  settings: TrainSettings;
  commands: string[];
  history: HistoryRow[];
};
const train = JSON.parse(readFileSync(join(runDir, 'split.json'), 'utf8')) as number[];
const checkpointPath = (epoch: number) => join(runDir, 'checkpoints', `epoch-${epoch}.safetensors`);
const model = loadModel(new Uint8Array(readFileSync(checkpointPath(final))));

mkdirSync(join(outDir, 'checkpoints'), { recursive: true });
const files: Record<string, Uint8Array | string> = {
  'model.onnx': inferenceGraph(model.config, model.params).toModel(),
  'model.safetensors': readFileSync(checkpointPath(final)),
  'history.json': JSON.stringify({
    settings: run.settings,
    history: run.history.filter((row) => row.epoch <= final),
  }),
  'split.json': JSON.stringify(train),
};
for (const epoch of checkpoints) {
  files[`checkpoints/epoch-${epoch}.safetensors`] = readFileSync(checkpointPath(epoch));
}
const metrics = analyze(model, { train });

// Every checkpoint of the run, measured against the final key frequencies: one session whose
// weights are inputs, fed each checkpoint in turn.
const { p } = model.config;
const session = await ort.InferenceSession.create(inferenceGraph(model.config).toModel());
const tokens = new ort.Tensor('int64', BigInt64Array.from(allInputs(p), BigInt), [p * p, 3]);
const measures: RunMeasures['measures'] = [];
for (const row of run.history) {
  const path = checkpointPath(row.epoch);
  if (row.epoch > final || !existsSync(path)) continue;
  const { params } = loadModel(new Uint8Array(readFileSync(path)));
  const feeds: Record<string, ort.Tensor> = { tokens };
  for (const name of paramNames) {
    feeds[name] = new ort.Tensor('float32', params[name].data, params[name].shape);
  }
  const logits = (await session.run(feeds, ['logits']))['logits']!.data as Float32Array;
  const { restricted_loss, excluded_loss, embedding_norms } = progressMeasures({
    p,
    op: metrics.op,
    logits,
    keyFreqs: metrics.key_freqs,
    params,
    train,
    embeddingNorms: true,
  });
  measures.push({
    epoch: row.epoch,
    restricted_loss,
    excluded_loss: excluded_loss!,
    embedding_norms: embedding_norms!.map((x) => Number(x.toPrecision(5))),
  });
}
files['measures.json'] = JSON.stringify({
  key_freqs: metrics.key_freqs,
  measures,
} satisfies RunMeasures);

const sha256: Record<string, string> = {};
for (const [name, data] of Object.entries(files)) {
  writeFileSync(join(outDir, name), data);
  sha256[name] = createHash('sha256').update(data).digest('hex');
}
const manifest = {
  name: 'The paper’s modular-addition transformer',
  config: model.config,
  settings: run.settings,
  epochs: final,
  checkpoints,
  metrics,
  // Training is deterministic, so running to the packaged epoch gives this model exactly.
  reproduce: [
    run.commands[0]!.replace(/--epochs \d+/, `--epochs ${final}`),
    `npm run package-model -- ${process.argv.slice(2).join(' ')}`,
  ],
  commands_run: run.commands,
  sha256,
};
writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(
  `Wrote ${outDir}: epoch ${final}, test accuracy ${metrics.test_accuracy}, key freqs ${metrics.key_freqs}`,
);
