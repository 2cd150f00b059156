// The modular-arithmetic command line:
//   npm run cli -- analyze MODEL.safetensors [--train-indices SPLIT.json] [--key-freqs K,K,…] [--json]
//   npm run cli -- analyze RUN.pth [...]   (a PyTorch state dict, the paper authors' runs among them)
//   npm run cli -- analyze RUN.json [--key-freqs K,K,…] [--json]   (a run the lab exported)
import { errorMessage } from '../lib/errors.ts';
import { readFileSync } from 'node:fs';
import { analyze, checkSplit, type Analysis } from '../lib/modarith/analyze.ts';
import { modelOperation } from '../lib/modarith/config.ts';
import { makeDataset } from '../lib/modarith/data.ts';
import { loadPth } from '../lib/modarith/pth.ts';
import { hasSafetensorsStructure, loadModel } from '../lib/modarith/safetensors.ts';
import { looksLikeZip } from '../lib/pth/zip.ts';
import { runFromJson } from '../lib/train/run-file.ts';

const usage =
  'usage: npm run cli -- analyze MODEL.safetensors|MODEL.pth [--train-indices SPLIT.json] [--key-freqs K,K,…] [--json]\n' +
  '       npm run cli -- analyze RUN.json [--key-freqs K,K,…] [--json]';

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function report(a: Analysis): string {
  // Absent: not measurable from what was given; null: not defined for this operation.
  const num = (x: number | null | undefined) => (x == null ? '–' : x.toPrecision(6));
  const pct = (x: number | undefined) => (x === undefined ? '–' : `${(100 * x).toFixed(2)}%`);
  const lines = [
    `model         p = ${a.p}, d_model = ${a.d_model}, ${a.n_heads} heads, d_mlp = ${a.d_mlp}, a ${a.op === 'add' ? '+' : a.op} b`,
    `accuracy      ${pct(a.accuracy)} of all inputs (train ${pct(a.train_accuracy)}, test ${pct(a.test_accuracy)})`,
    `loss          full ${num(a.full_loss)}, train ${num(a.train_loss)}, test ${num(a.test_loss)}`,
    `key freqs     ${a.key_freqs.length ? a.key_freqs.join(', ') : 'none'}`,
    `restricted    ${num(a.restricted_loss)}`,
    `excluded      ${num(a.excluded_loss)}`,
  ];
  if (a.excluded_loss_per_freq) {
    const per = a.key_freqs.map((k, j) => `${k}: ${num(a.excluded_loss_per_freq![j])}`);
    lines.push(`  per freq    ${per.join(', ')}`);
  }
  lines.push(
    `Gini W_E      ${num(a.gini_W_E)}`,
    `Gini W_L      ${num(a.gini_W_L)}`,
    `Σ w²          ${num(a.sum_sq_weights)}`,
  );
  return lines.join('\n');
}

const [command, ...args] = process.argv.slice(2);
if (command !== 'analyze') fail(usage, 2);
let modelPath: string | undefined;
let splitPath: string | undefined;
let keyFreqs: number[] | undefined;
let json = false;
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--json') json = true;
  else if (arg === '--train-indices') splitPath = args[++i] ?? fail(usage, 2);
  else if (arg === '--key-freqs') {
    const list = args[++i] ?? fail(usage, 2);
    keyFreqs = list.split(',').map((k) => Number(k.trim()));
    if (keyFreqs.some((k) => !Number.isInteger(k)))
      fail(`--key-freqs takes whole numbers, got "${list}".`, 2);
  } else if (arg.startsWith('--')) fail(`unknown option ${arg}\n${usage}`, 2);
  else if (!modelPath) modelPath = arg;
  else fail(`one model at a time\n${usage}`, 2);
}
if (!modelPath) fail(usage, 2);

/** Every snapshot of a run the lab exported, measured with the run's (or the given) key frequencies. */
function analyzeRunFile(text: string): void {
  const run = runFromJson(text);
  const freqs = keyFreqs ?? run.keyFreqs;
  const measures = run.snapshots.map(({ epoch, params }) => ({
    epoch,
    ...analyze(
      { config: run.settings.config, params, metadata: { op: run.settings.op } },
      { train: run.split, keyFreqs: freqs },
    ),
  }));
  if (json) {
    console.log(JSON.stringify({ key_freqs: freqs, measures }, null, 2));
    return;
  }
  const num = (x: number | null | undefined) => (x == null ? '–' : x.toPrecision(4));
  console.log(`${run.snapshots.length} snapshots, key frequencies ${freqs.join(', ') || 'none'}`);
  console.log('epoch    train loss  test loss   restricted  excluded');
  for (const m of measures) {
    console.log(
      [m.epoch, m.train_loss, m.test_loss, m.restricted_loss, m.excluded_loss]
        .map((x, i) => (i === 0 ? String(x).padEnd(8) : num(x as number).padEnd(11)))
        .join(' '),
    );
  }
}

/** One model file, with its split when given. */
function analyzeModelFile(bytes: Uint8Array): void {
  const model = looksLikeZip(bytes) ? readPth(bytes) : loadModel(bytes);
  let train: number[] | undefined;
  if (splitPath) {
    const labels = makeDataset(modelOperation(model.metadata), model.config.p).labels;
    train = checkSplit(JSON.parse(readFileSync(splitPath, 'utf8')), model.config.p, labels);
  }
  const analysis = analyze(model, { ...(train && { train }), ...(keyFreqs && { keyFreqs }) });
  console.log(json ? JSON.stringify(analysis, null, 2) : report(analysis));
}

/** A .pth state dict in the course's layout; what was converted goes to stderr, beside --json. */
function readPth(bytes: Uint8Array) {
  let model;
  try {
    model = loadPth(bytes);
  } catch (error) {
    throw new Error(`not a PyTorch state dict the course reads: ${errorMessage(error)}.`, {
      cause: error,
    });
  }
  console.error(model.conversion);
  return model;
}

/** A JSON object after an optional byte-order mark and white space: a run the lab exported. */
function isJsonObject(bytes: Uint8Array): boolean {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const first = bytes.findIndex(
    (b, i) => i >= bom && b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09,
  );
  return bytes[first] === 0x7b;
}

try {
  const bytes = new Uint8Array(readFileSync(modelPath));
  // A safetensors file by its structure (its header length's first byte may well be '{'), a run
  // file by its first character after a byte-order mark and white space.
  if (!hasSafetensorsStructure(bytes) && isJsonObject(bytes)) {
    if (splitPath) fail('A run file carries its own split: leave out --train-indices.', 2);
    analyzeRunFile(new TextDecoder().decode(bytes));
  } else analyzeModelFile(bytes);
} catch (error) {
  fail(`${modelPath}: ${errorMessage(error)}`);
}
