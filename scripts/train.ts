// Trains the modular-arithmetic transformer in Node with onnxruntime-node.
//   npm run train -- --out DIR [--epochs N] [--p 113] [--op add] [--fraction 0.3] [--d-model 128]
//     [--heads 4] [--d-mlp 512] [--lr 1e-3] [--wd 1] [--beta1 0.9] [--beta2 0.98] [--warmup 10]
//     [--seed 0] [--eval-every 100] [--checkpoints 200,1500,…] [--checkpoint-every N]
//     [--key-freqs K,…] [--loss exact|naive] [--architecture paper|transformerlens] [--resume]
// Writes DIR/history.json (every metric at every evaluation), DIR/split.json, DIR/state.safetensors
// (to resume), DIR/checkpoints/epoch-N.safetensors, and at the end DIR/model.onnx (with hooks)
// and DIR/model.safetensors.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { operations, type Operation } from '../lib/modarith/config.ts';
import { inferenceGraph } from '../lib/modarith/export.ts';
import { checkKeyFrequencies } from '../lib/modarith/progress.ts';
import { saveModel } from '../lib/modarith/safetensors.ts';
import { errorMessage } from '../lib/errors.ts';
import { readResumedRun, saveState } from '../lib/train/checkpoint.ts';
import { historyRow, type HistoryRow } from '../lib/train/metrics.ts';
import {
  settingOptions,
  trainFlags,
  trainOptions,
  trainSettingsProblems,
} from '../lib/train/train-options.ts';
import { paperSettings, Trainer, type TrainSettings } from '../lib/train/trainer.ts';
import { architectures, type Architecture } from '../lib/train/graph.ts';
import { lossKinds, type LossKind } from '../lib/train/loss.ts';

const usage =
  'usage: npm run train -- --out DIR [--epochs N] [options] [--resume]  (see scripts/train.ts)';
const args = new Map<string, string>();
const flags = new Set<string>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i]!;
  const name = arg.slice(2);
  if (!arg.startsWith('--')) fail(`unexpected argument ${arg}\n${usage}`);
  if ((trainFlags as readonly string[]).includes(name)) flags.add(name);
  else if ((trainOptions as readonly string[]).includes(name)) {
    args.set(name, argv[++i] ?? fail(`${arg} needs a value\n${usage}`));
  } else fail(`unknown option ${arg} (a typo?)\n${usage}`);
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/**
 * Writes `data` to `path` through a temporary file and a rename, so that a failed write (a full
 * disk, a kill) leaves the previous file whole instead of truncated.
 */
function writeAtomic(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

function number(name: string, fallback: number): number {
  const text = args.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) fail(`--${name} must be a number, got "${text}".`);
  return value;
}

function list(name: string): number[] | undefined {
  const text = args.get(name);
  return text?.split(',').map((k) => {
    const v = Number(k);
    if (!Number.isInteger(v))
      fail(`--${name} takes whole numbers separated by commas, got "${text}".`);
    return v;
  });
}

const out = args.get('out') ?? fail(usage);
if (existsSync(out) && !statSync(out).isDirectory()) fail(`--out ${out} is a file, not a folder.`);
const statePath = join(out, 'state.safetensors');
const historyPath = join(out, 'history.json');
const epochs = number('epochs', 1000);
const evalEvery = number('eval-every', 100);
if (!(Number.isInteger(epochs) && epochs >= 1)) fail(`--epochs must be a whole number ≥ 1.`);
const checkpoints = new Set(list('checkpoints') ?? []);
const checkpointEvery = number('checkpoint-every', Infinity);
if (!(checkpointEvery === Infinity || (Number.isInteger(checkpointEvery) && checkpointEvery >= 1)))
  fail(`--checkpoint-every must be a whole number ≥ 1.`);
if (!(Number.isInteger(evalEvery) && evalEvery >= 1))
  fail(`--eval-every must be a whole number ≥ 1.`);

/** --key-freqs, checked before anything is written: distinct frequencies of this p. */
function checkKeyFreqsOption(p: number): void {
  const freqs = list('key-freqs');
  if (!freqs) return;
  try {
    checkKeyFrequencies(freqs, p);
  } catch (error) {
    fail(`--key-freqs: ${errorMessage(error)}`);
  }
}

let settings: TrainSettings;
let trainer: Trainer;
let history: HistoryRow[] = [];
/** Every command that contributed to this run, resumes included: how to reproduce it. */
let commands: string[] = [];
if (flags.has('resume')) {
  const given = settingOptions.filter((name) => args.has(name));
  if (given.length > 0)
    fail(
      `--resume keeps the run's own settings; remove ${given.map((n) => `--${n}`).join(', ')} ` +
        `(to train with other settings, start a new run in another --out folder).`,
    );
  if (!existsSync(statePath)) fail(`Nothing to resume: ${statePath} does not exist.`);
  let resumed: ReturnType<typeof readResumedRun>;
  try {
    resumed = readResumedRun({
      state: () => new Uint8Array(readFileSync(statePath)),
      split: () => readFileSync(join(out, 'split.json'), 'utf8'),
      history: () => readFileSync(historyPath, 'utf8'),
    });
  } catch (error) {
    fail(`The run in ${out} cannot be resumed: ${errorMessage(error)}`);
  }
  settings = resumed.settings;
  checkKeyFreqsOption(settings.config.p);
  trainer = await Trainer.create(ort, settings, { state: resumed.state, train: resumed.train });
  history = resumed.history;
  commands = resumed.commands;
} else {
  if (existsSync(out) && readdirSync(out).length > 0)
    fail(
      `--out ${out} already holds files: add --resume to carry that run on, or choose an empty folder.`,
    );
  const op = (args.get('op') ?? 'add') as Operation;
  if (!operations.includes(op)) fail(`--op must be one of ${operations.join(', ')}.`);
  const loss = (args.get('loss') ?? paperSettings.loss) as LossKind;
  if (!lossKinds.includes(loss)) fail(`--loss must be one of ${lossKinds.join(', ')}.`);
  const architecture = (args.get('architecture') ?? paperSettings.architecture) as Architecture;
  if (!architectures.includes(architecture))
    fail(`--architecture must be one of ${architectures.join(', ')}.`);
  const dModel = number('d-model', 128);
  const heads = number('heads', 4);
  settings = {
    config: {
      p: number('p', 113),
      d_model: dModel,
      n_heads: heads,
      d_head: dModel / heads,
      d_mlp: number('d-mlp', 512),
    },
    op,
    fraction: number('fraction', 0.3),
    lr: number('lr', paperSettings.lr),
    weightDecay: number('wd', paperSettings.weightDecay),
    beta1: number('beta1', paperSettings.beta1),
    beta2: number('beta2', paperSettings.beta2),
    warmup: number('warmup', paperSettings.warmup),
    seed: number('seed', 0),
    loss,
    architecture,
  };
  const problems = trainSettingsProblems(settings);
  if (problems.length) fail(problems.join('\n'));
  checkKeyFreqsOption(settings.config.p);
  trainer = await Trainer.create(ort, settings);
  mkdirSync(join(out, 'checkpoints'), { recursive: true });
  writeAtomic(join(out, 'split.json'), JSON.stringify(trainer.train));
}

const keyFreqs = list('key-freqs');
const quiet = flags.has('quiet');
commands.push(`npm run train -- ${process.argv.slice(2).join(' ')}`);

/** What a saved model says about itself. */
function modelMetadata(): Record<string, string> {
  const { op, config, seed } = settings;
  return { op, p: String(config.p), epoch: String(trainer.epoch), seed: String(seed) };
}

async function record(): Promise<HistoryRow> {
  const evaluation = await trainer.evaluate();
  const { params } = await trainer.state();
  const row = historyRow(evaluation, params, settings.config, trainer.train, settings.op, keyFreqs);
  history.push(row);
  return row;
}

async function save(): Promise<void> {
  const state = await trainer.state();
  writeAtomic(statePath, saveState(state, settings));
  writeAtomic(historyPath, JSON.stringify({ settings, commands, history }));
}

let lastDrawn = 0;
/** Redraws the progress line at most 5 times a second; without a terminal, one line per evaluation. */
function progress(row: HistoryRow | undefined, started: number, startEpoch: number): void {
  const tty = process.stdout.isTTY;
  const evaluated = row?.epoch === trainer.epoch;
  if (quiet || (tty ? performance.now() - lastDrawn < 200 && trainer.epoch < epochs : !evaluated))
    return;
  lastDrawn = performance.now();
  const done = trainer.epoch - startEpoch;
  const rate = done / ((performance.now() - started) / 1000);
  const eta = rate > 0 ? (epochs - trainer.epoch) / rate : 0;
  const width = 24;
  const filled = Math.round((trainer.epoch / epochs) * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const metrics = row
    ? ` loss ${row.train_loss.toExponential(2)}/${row.test_loss.toExponential(2)}` +
      ` acc ${(100 * row.train_accuracy).toFixed(1)}%/${(100 * row.test_accuracy).toFixed(1)}%`
    : '';
  const time = `${rate.toFixed(1)} epochs/s, ETA ${Math.floor(eta / 60)}m${Math.round(eta % 60)}s`;
  const line = `epoch ${trainer.epoch}/${epochs} ${bar}${metrics} · ${time}`;
  process.stdout.write(tty ? `\r${line}   ` : `${line}\n`);
}

/** Saves the weights at this epoch as checkpoints/epoch-N.safetensors. */
async function checkpoint(): Promise<void> {
  const { params } = await trainer.state();
  writeAtomic(
    join(out, 'checkpoints', `epoch-${trainer.epoch}.safetensors`),
    saveModel(params, modelMetadata()),
  );
}

if (history.length === 0 || history.at(-1)!.epoch !== trainer.epoch) await record();
// The initial weights too, so that every recorded row can be measured again from its checkpoint.
if (trainer.epoch === 0 && (checkpoints.size > 0 || Number.isFinite(checkpointEvery))) {
  await checkpoint();
}
const started = performance.now();
const startEpoch = trainer.epoch;
let last: HistoryRow | undefined = history.at(-1);
let stopping = false;
process.on('SIGINT', () => (stopping = true));
while (trainer.epoch < epochs && !stopping) {
  const loss = await trainer.stepOnce();
  if (!Number.isFinite(loss)) {
    await save();
    fail(
      `\nThe loss became ${loss} at epoch ${trainer.epoch}: the run diverged. Try a smaller --lr.`,
    );
  }
  if (trainer.epoch % evalEvery === 0 || trainer.epoch === epochs) last = await record();
  if (checkpoints.has(trainer.epoch) || trainer.epoch % checkpointEvery === 0) await checkpoint();
  if (trainer.epoch % 1000 === 0) await save();
  progress(last, started, startEpoch);
}
await save();
if (!stopping) {
  const { params } = await trainer.state();
  writeAtomic(join(out, 'model.safetensors'), saveModel(params, modelMetadata()));
  writeAtomic(join(out, 'model.onnx'), inferenceGraph(settings.config, params).toModel());
}
console.log(`\n${stopping ? 'Stopped' : 'Done'} at epoch ${trainer.epoch}; wrote ${out}.`);
await trainer.release();
