// Packages a training run into a shipped model folder: the final model as ONNX (with hooks) and
// safetensors, a few checkpoints, the run's history and split, the progress measures of every
// checkpoint recomputed with the final model's key frequencies (as the paper defines them), and a
// manifest with hashes.
//   npm run package-model -- RUN_DIR OUT_DIR --final EPOCH --checkpoints E1,E2,E3
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../lib/modarith/analyze.ts';
import { inferenceGraph } from '../lib/modarith/export.ts';
import { loadModel } from '../lib/modarith/safetensors.ts';
import { checkpointPath, measureCheckpoints } from './run-measures.ts';
import { runMilestones } from '../lib/train/milestones.ts';
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
const model = loadModel(new Uint8Array(readFileSync(checkpointPath(runDir, final))));

mkdirSync(join(outDir, 'checkpoints'), { recursive: true });
const files: Record<string, Uint8Array | string> = {
  'model.onnx': inferenceGraph(model.config, model.params).toModel(),
  'model.safetensors': readFileSync(checkpointPath(runDir, final)),
  'history.json': JSON.stringify({
    settings: run.settings,
    history: run.history.filter((row) => row.epoch <= final),
  }),
  'split.json': JSON.stringify(train),
};
for (const epoch of checkpoints) {
  files[`checkpoints/epoch-${epoch}.safetensors`] = readFileSync(checkpointPath(runDir, epoch));
}
const metrics = analyze(model, { train });

// Every checkpoint of the run, measured against the final key frequencies.
const measures = await measureCheckpoints(
  runDir,
  { config: model.config, op: metrics.op, train, keyFreqs: metrics.key_freqs },
  run.history.map((row) => row.epoch),
  final,
);
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
  milestones: runMilestones(
    run.history.filter((row) => row.epoch <= final),
    measures,
  ),
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
