// How much the random draw moves grokking: the paper's configuration trained from several seeds
// with `npm run train`, each run's checkpoints measured with its own final key frequencies, and
// for each the epochs at which it memorised, its restricted loss fell below 1, its test loss fell
// below 1, and it was cleaned up (lib/train/phases.ts). Writes models/seed-spread.json, which
// lesson 8 and docs/seed-spread.md render.
//   node scripts/seed-spread.ts [--seeds 0,1,2,3,4] [--epochs 10000] [--runs /tmp/seed-spread]
//     [--reuse 0=/tmp/paper-run]   (a run already trained for that seed)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../lib/modarith/analyze.ts';
import { loadModel } from '../lib/modarith/safetensors.ts';
import type { HistoryRow } from '../lib/train/metrics.ts';
import { runMilestones } from '../lib/train/milestones.ts';
import type { TrainSettings } from '../lib/train/trainer.ts';
import { checkpointPath, measureCheckpoints } from './run-measures.ts';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1]! : fallback;
};
const seeds = option('seeds', '0,1,2,3,4').split(',').map(Number);
const epochs = Number(option('epochs', '10000'));
const runs = option('runs', '/tmp/seed-spread');
const reuse = new Map(
  argv
    .flatMap((arg, i) => (argv[i - 1] === '--reuse' ? [arg] : []))
    .map((pair) => pair.split('=') as [string, string])
    .map(([seed, dir]) => [Number(seed), dir]),
);

const results = [];
for (const seed of seeds) {
  const dir = reuse.get(seed) ?? join(runs, `seed-${seed}`);
  if (!reuse.has(seed) && !existsSync(join(dir, 'model.safetensors'))) {
    const args = [
      'scripts/train.ts',
      '--out',
      dir,
      '--seed',
      String(seed),
      '--epochs',
      String(epochs),
    ];
    args.push('--eval-every', '100', '--checkpoint-every', '100', '--quiet');
    console.log(`seed ${seed}: node ${args.join(' ')}`);
    const trained = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (trained.status !== 0) throw new Error(`Training seed ${seed} failed.`);
  }
  const run = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as {
    settings: TrainSettings;
    history: HistoryRow[];
  };
  const train = JSON.parse(readFileSync(join(dir, 'split.json'), 'utf8')) as number[];
  const last = Math.min(epochs, run.history.at(-1)!.epoch);
  const rows = run.history.filter((row) => row.epoch <= last);
  const model = loadModel(new Uint8Array(readFileSync(checkpointPath(dir, last))));
  const { key_freqs: keyFreqs, op } = analyze(model, { train });
  const measures = await measureCheckpoints(
    dir,
    { config: model.config, op, train, keyFreqs },
    rows.map((row) => row.epoch),
    last,
  );
  const result = {
    seed,
    epochs: last,
    keyFreqs,
    ...runMilestones(rows, measures),
    loss: run.settings.loss,
    architecture: run.settings.architecture,
  };
  console.log(JSON.stringify(result));
  results.push(result);
}
const out = {
  about:
    "The paper's configuration (p = 113, 30%, lr 1e-3, weight decay 1) from several seeds, measured with each run's final key frequencies (scripts/seed-spread.ts).",
  runs: results,
};
writeFileSync('models/seed-spread.json', JSON.stringify(out, null, 2) + '\n');
console.log('Wrote models/seed-spread.json');
