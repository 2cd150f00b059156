// The sweep behind the Quick grok preset: for each candidate setting and seeds 0, 1 and 2, a run of
// the small model with onnxruntime-node (exact loss, the paper's architecture), evaluated every 25
// epochs until its test accuracy reaches 99%. Every evaluation's weights are kept and measured
// again with the run's final key frequencies, as the paper measures (§5.1). For each run: the epochs
// at which it memorised, its restricted loss fell below 1 and its test loss fell below 1; whether
// its excluded loss rose after memorisation; and, at memorisation, its accuracy on the test pairs
// whose mirror (b, a) it trained on and on the others. `npm run bench` puts the table into
// BENCHMARKS.md; run alone, it prints it, and with --write it also writes the runs of the preset
// to models/quick-grok-sweep.json, which lesson 8 renders (the mirror accuracies).
//   node scripts/quick-grok-sweep.ts [--presets-only] [--write]
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import { analyze } from '../lib/modarith/analyze.ts';
import { copyParams, remeasure, type Snapshot } from '../lib/train/snapshots.ts';
import { presets } from '../lib/train/presets.ts';
import { Trainer, type TrainSettings } from '../lib/train/trainer.ts';

const limit = 3000;
const every = 25;

export interface SweepRun {
  seed: number;
  memorised?: number;
  restrictedBelowOne?: number;
  testBelowOne?: number;
  generalised?: number;
  /** The excluded loss's highest after memorisation, over its value at memorisation */
  excludedRise?: number;
  /** At memorisation: test accuracy, on pairs whose mirror is in the training set, on the rest */
  mirror?: { test: number; mirrored: number; unmirrored: number; mirroredShare: number };
}

/** Whether a run shows what Quick grok is for: the measures well ahead of the test loss. */
export const showsProgress = (r: SweepRun) =>
  r.restrictedBelowOne !== undefined &&
  r.testBelowOne !== undefined &&
  r.testBelowOne - r.restrictedBelowOne >= 150 &&
  (r.excludedRise ?? 0) > 1.5;

/** Accuracy at memorisation split by whether each test pair's mirror (b, a) was trained on. */
function mirrorAccuracy(logits: Float32Array, p: number, train: readonly number[]) {
  const inTrain = new Uint8Array(p * p);
  for (const i of train) inTrain[i] = 1;
  const right = [0, 0];
  const count = [0, 0];
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      const i = a * p + b;
      if (inTrain[i]) continue;
      const row = logits.subarray(i * p, (i + 1) * p);
      let best = 0;
      for (let c = 1; c < p; c++) if (row[c]! > row[best]!) best = c;
      const group = inTrain[b * p + a] ? 0 : 1;
      count[group]!++;
      if (best === (a + b) % p) right[group]!++;
    }
  }
  return {
    test: (right[0]! + right[1]!) / (count[0]! + count[1]!),
    mirrored: right[0]! / count[0]!,
    unmirrored: right[1]! / count[1]!,
    mirroredShare: count[0]! / (count[0]! + count[1]!),
  };
}

/** One run of `settings`, measured as the sweep measures. */
export async function sweepRun(settings: TrainSettings): Promise<SweepRun> {
  const trainer = await Trainer.create(ort, settings);
  const { p } = settings.config;
  const snapshots: Snapshot[] = [];
  const result: SweepRun = { seed: settings.seed };
  while (trainer.epoch < limit) {
    await trainer.stepOnce();
    if (trainer.epoch % every !== 0) continue;
    const e = await trainer.evaluate();
    const { params } = await trainer.state();
    snapshots.push({ epoch: trainer.epoch, params: copyParams(params) });
    if (e.train_accuracy >= 0.99) result.memorised ??= trainer.epoch;
    if (e.test_loss < 1) result.testBelowOne ??= trainer.epoch;
    if (e.test_accuracy >= 0.99) {
      result.generalised = trainer.epoch;
      break;
    }
  }
  const final = snapshots.at(-1)!;
  const model = { config: settings.config, params: final.params, metadata: { op: settings.op } };
  const { key_freqs: keyFreqs } = analyze(model, { train: trainer.train });
  const measured = await remeasure(snapshots, keyFreqs, (params) => trainer.logitsOf(params), {
    p,
    op: settings.op,
    train: trainer.train,
  });
  const restricted = measured.find((m) => m.restricted_loss !== null && m.restricted_loss < 1);
  if (restricted) result.restrictedBelowOne = restricted.epoch;
  if (result.memorised !== undefined) {
    const at = measured.findIndex((m) => m.epoch === result.memorised);
    const later = measured.slice(at).map((m) => m.excluded_loss ?? 0);
    result.excludedRise = Math.max(...later) / measured[at]!.excluded_loss!;
    const logits = await trainer.logitsOf(snapshots[at]!.params);
    result.mirror = mirrorAccuracy(logits, p, trainer.train);
  }
  await trainer.release();
  return result;
}

const cell = (r: SweepRun) =>
  `${r.memorised ?? '–'} / ${r.restrictedBelowOne ?? '–'} / ${r.testBelowOne ?? '–'} / ` +
  `${r.generalised ?? `> ${limit}`}${showsProgress(r) ? '' : ' ✗'}`;

/** The candidates: the preset and its neighbours in learning rate and training fraction. */
export const candidates: { name: string; settings: Omit<TrainSettings, 'seed'> }[] = [
  { name: 'preset', settings: presets.quickGrok },
  { name: 'lr 2e-3', settings: { ...presets.quickGrok, lr: 2e-3 } },
  { name: 'fraction 0.4', settings: { ...presets.quickGrok, fraction: 0.4 } },
  { name: 'lr 5e-3', settings: { ...presets.quickGrok, lr: 5e-3 } },
];

/** The sweep as Markdown: a table of milestones per seed, and the mirror accuracies. */
export async function quickGrokSweep(
  only = candidates,
  write?: (name: string, runs: SweepRun[]) => void,
): Promise<string> {
  const rows: string[] = [];
  const mirrors: string[] = [];
  for (const { name, settings } of only) {
    const runs: SweepRun[] = [];
    for (const seed of [0, 1, 2]) runs.push(await sweepRun({ ...settings, seed }));
    write?.(name, runs);
    const { fraction, lr } = settings;
    rows.push(`| ${name} | ${fraction} | ${lr} | ${runs.map(cell).join(' | ')} |`);
    for (const r of runs.filter((r) => r.mirror)) {
      const m = r.mirror!;
      const pc = (x: number) => `${(100 * x).toFixed(1)}%`;
      mirrors.push(
        `| ${name} | ${r.seed} | ${r.memorised} | ${pc(m.test)} | ${pc(m.mirroredShare)} | ${pc(m.mirrored)} | ${pc(m.unmirrored)} |`,
      );
    }
    console.error(rows.at(-1));
  }
  return [
    'Each cell: memorised / restricted loss < 1 / test loss < 1 / test accuracy ≥ 99% (epochs,',
    `checked every ${every}); ✗ where the restricted loss leads the test loss by under 150 epochs or`,
    'the excluded loss does not rise to 1.5× its value at memorisation.',
    '',
    '| setting | fraction | lr | seed 0 | seed 1 | seed 2 |',
    '| :--- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'At memorisation, accuracy on the test pairs, on those whose mirror (b, a) is a training pair,',
    'and on the rest:',
    '',
    '| setting | seed | memorised | test | mirrored share | mirrored | not mirrored |',
    '| :--- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...mirrors,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const only = process.argv.includes('--presets-only') ? candidates.slice(0, 1) : candidates;
  const write = process.argv.includes('--write')
    ? (name: string, runs: SweepRun[]) => {
        if (name !== 'preset') return;
        const file = { settings: presets.quickGrok, every, limit, runs };
        writeFileSync('models/quick-grok-sweep.json', JSON.stringify(file, null, 1) + '\n');
      }
    : undefined;
  console.log(await quickGrokSweep(only, write));
}
